/**
 * Time for policies and hot paths: {@link dev.pledge.core.time.Durations} reads durations and
 * calendar periods as people write them; {@link dev.pledge.core.time.Ticker} is the nanosecond
 * source of rate limiters and timeouts; {@link dev.pledge.core.time.MutableClock} and
 * {@link dev.pledge.core.time.ManualTicker} let tests and simulations drive time instead of waiting.
 */
package dev.pledge.core.time;
