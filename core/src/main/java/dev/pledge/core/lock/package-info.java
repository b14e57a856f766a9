/**
 * One node per slot: a {@link dev.pledge.core.lock.SlotLock} gives each slot of a recurring job (a
 * backup schedule, the access expiry sweep) to exactly one of the nodes that share it, and hands a
 * slot whose holder died to another node once its lease ends (P5, P7, P15). {@link
 * dev.pledge.core.lock.JdbcSlotLock} keeps the slots in a table of a database the nodes already share;
 * {@link dev.pledge.core.lock.SlotLock#inMemory()} serves the nodes of one JVM.
 */
package dev.pledge.core.lock;
