/**
 * Pledge support SLA on Redis: alert de-duplication shared by every node (P4), through Lettuce. The
 * only Pledge SLA artifact that carries a Redis client (and Netty).
 */
module dev.pledge.sla.redis {
  requires transitive dev.pledge.sla;
  requires lettuce.core;

  exports dev.pledge.sla.redis;
}
