/**
 * Pledge security on Redis: the rate limiter, login throttle and TOTP replay guard shared by every
 * node (P13, P26), through Lettuce. The only Pledge security artifact that carries a Redis client
 * (and Netty).
 */
module dev.pledge.security.redis {
  requires transitive dev.pledge.security;
  requires lettuce.core;
  requires org.slf4j;

  exports dev.pledge.security.redis;

  provides dev.pledge.security.store.StoreProvider with dev.pledge.security.redis.RedisStoreProvider;
}
