/**
 * The seam between pledge-security and the shared stores that hold state across nodes and restarts
 * (P13, P26): {@link dev.pledge.security.store.StoreProvider} opens a store by its address,
 * {@link dev.pledge.security.store.DataSources} makes a data source from a JDBC URL, and
 * {@link dev.pledge.security.store.StoreUnavailableException} says one did not answer in time.
 */
package dev.pledge.security.store;
