package dev.pledge.security.ratelimit;

/**
 * What a Redis-backed limiter (pledge-security-redis) decides when Redis does not answer within its timeout (P13).
 */
public enum RedisFailureMode {
  /** Grant the request: availability over protection while Redis is down. */
  FAIL_OPEN,
  /** Reject the request: protection over availability while Redis is down. */
  FAIL_CLOSED,
  /** Decide with a limiter local to this node, with the same limits (each node then grants its own share). */
  LOCAL
}
