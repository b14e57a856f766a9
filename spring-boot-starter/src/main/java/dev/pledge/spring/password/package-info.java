/**
 * Spring Security password encoding backed by Pledge's hasher (P23), for {@code
 * DelegatingPasswordEncoder}.
 */
package dev.pledge.spring.password;
