#!/bin/sh
# The ceiling for RedisRateLimiterBenchmark: redis-benchmark sending the limiter's own GCRA script by
# EVALSHA for the same hot key and limit (10^6 a second: interval 1 us, burst window 1 s), from 2
# connections, one request in flight each (no pipelining), as the JMH benchmark's 2 client threads.
# With a third argument "login", it sends the login throttle's script instead, as LoginThrottleBenchmark's
# redisHotAccount does (a read of one account and one source).
# Usage: benchmarks/redis-ceiling.sh [port] [requests] [login]
set -eu
port=${1:-6379}
n=${2:-200000}
script=security-redis/src/main/resources/dev/pledge/security/redis/gcra.lua
if [ "${3:-}" = login ]; then
  script=security-redis/src/main/resources/dev/pledge/security/redis/login.lua
  sha=$(redis-cli -p "$port" SCRIPT LOAD "$(cat "$script")")
  exec redis-benchmark -p "$port" -c 2 -P 1 -n "$n" EVALSHA "$sha" 2 '{pledge:bench:login:}a:hot' \
    '{pledge:bench:login:}s:192.0.2.1' read 0
fi
sha=$(redis-cli -p "$port" SCRIPT LOAD "$(cat "$script")")
exec redis-benchmark -p "$port" -c 2 -P 1 -n "$n" EVALSHA "$sha" 1 'pledge:rl:bench:{hot}:0' 1 1 1000000
