/**
 * Clients can export their data (P40): {@link dev.pledge.core.export.DataExporter} writes everything a
 * client owns into one verifiable archive, from any {@link dev.pledge.core.export.ClientDataSource}.
 */
package dev.pledge.core.export;
