/**
 * Actuator health indicators (policy, on-call coverage P38, monitored sites P4, backup freshness per
 * schedule P6/P7) and Micrometer meters (limiter decisions, login lockouts, backups, alerts).
 */
package dev.pledge.spring.actuate;
