/**
 * Least-privilege, just-in-time access (P14-P21): the {@code access} policy section and the
 * {@link dev.pledge.security.access.AccessBroker} that grants, checks, revokes and audits access.
 */
package dev.pledge.security.access;
