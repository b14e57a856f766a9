/** The JDBC implementation of the SLA and uptime history; not an API. */
package dev.pledge.sla.history.internal;
