/**
 * Spring Boot auto-configuration for Pledge: the policy document named by {@code pledge.policy} bound
 * to beans, section by section, and the web, password-encoder and actuator configurations that build
 * on them. Hosts normally touch only {@link dev.pledge.spring.boot.autoconfigure.PledgeProperties}
 * (through {@code application.properties}).
 */
package dev.pledge.spring.boot.autoconfigure;
