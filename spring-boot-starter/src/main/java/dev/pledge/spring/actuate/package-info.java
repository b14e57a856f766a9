/**
 * Actuator health indicators (policy, on-call coverage P38, monitored sites P4) and Micrometer meters
 * (limiter decisions, login lockouts).
 */
package dev.pledge.spring.actuate;
