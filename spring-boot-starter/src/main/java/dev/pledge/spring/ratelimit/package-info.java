/**
 * Rate limiting for servlet applications (P13): the policy's limits per client as beans, the filter
 * that answers 429 with {@code Retry-After}, and the IETF {@code RateLimit-Policy}/{@code RateLimit}
 * header fields.
 */
package dev.pledge.spring.ratelimit;
