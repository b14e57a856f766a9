/**
 * Redis backends for pledge-security, shared by every application node (P13, P26): the keyed rate
 * limiter, on Redis's own clock, one atomic script per decision. This artifact carries the Redis
 * client (Lettuce), so {@code pledge-security} itself carries none.
 */
package dev.pledge.security.redis;
