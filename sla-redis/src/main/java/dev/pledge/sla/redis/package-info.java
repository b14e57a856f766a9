/**
 * Redis backends for pledge-sla (P4): alert de-duplication shared by every node. This artifact
 * carries the Redis client (Lettuce), so {@code pledge-sla} itself carries none.
 */
package dev.pledge.sla.redis;
