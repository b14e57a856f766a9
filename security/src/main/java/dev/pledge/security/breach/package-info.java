/**
 * The breach response (P28-P32): the {@code breach} policy section, the
 * {@link dev.pledge.security.breach.BreachRunbook} that runs its steps with the host application's
 * actions, and the record of quarterly drills.
 */
package dev.pledge.security.breach;
