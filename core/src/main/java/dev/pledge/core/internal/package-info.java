/** Internal to Pledge's modules; not an API. The module descriptor exports it only to them. */
package dev.pledge.core.internal;
