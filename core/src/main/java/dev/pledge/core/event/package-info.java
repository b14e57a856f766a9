/** Immutable, typed events and their delivery with listener isolation. */
package dev.pledge.core.event;
