package dev.pledge.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring Boot service on {@code pledge-spring-boot-starter}. Its own code only registers
 * accounts and greets; the starter brings the rest from {@code policy.yaml}: the {@code /api/**} rate
 * limit with its headers (P13), the password rules and bcrypt encoder (P23, P24), the on-call and
 * policy health indicators (P38) and the limiter meters. {@code SampleApplicationTest} drives it over
 * real HTTP.
 */
@SpringBootApplication
public class SampleApplication {

  /** Starts the service; {@code --server.port=8080} and the other Spring Boot settings apply. */
  public static void main(String[] args) {
    SpringApplication.run(SampleApplication.class, args);
  }
}
