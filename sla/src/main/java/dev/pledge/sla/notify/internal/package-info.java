/** Implementation detail of the notifiers: the shared delivery discipline. Not API. */
package dev.pledge.sla.notify.internal;
