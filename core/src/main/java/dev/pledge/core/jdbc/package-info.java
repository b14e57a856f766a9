/**
 * JDBC plumbing every Pledge module shares: {@link dev.pledge.core.jdbc.DataSources} turns a JDBC URL
 * into a {@link javax.sql.DataSource} for hosts without a connection pool.
 */
package dev.pledge.core.jdbc;
