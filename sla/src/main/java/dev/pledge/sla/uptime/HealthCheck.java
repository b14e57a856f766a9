package dev.pledge.sla.uptime;

import java.net.http.HttpClient;

/**
 * One health check of a site (P4): the built-in HTTP GET probe or anything an integrator supplies
 * (a database ping, a load balancer's target health). Implementations must be thread-safe, return
 * in bounded time and report failure as an unhealthy result rather than by throwing; a thrown
 * exception is treated as a failure with the exception's message.
 */
@FunctionalInterface
public interface HealthCheck {

  /**
   * The outcome of one check.
   *
   * @param healthy whether the site answered as expected
   * @param detail what was seen, for records and alerts, such as {@code status 503, expected 200}
   */
  record Result(boolean healthy, String detail) {
    /** Validates the result. */
    public Result {
      detail = detail == null ? "" : detail;
    }

    /** A healthy result. */
    public static Result up(String detail) {
      return new Result(true, detail);
    }

    /** An unhealthy result. */
    public static Result down(String detail) {
      return new Result(false, detail);
    }
  }

  /** Runs the check once. */
  Result check();

  /**
   * The HTTP GET probe of {@code spec}: healthy when the answer's status is the expected one within
   * the timeout. Redirects are not followed (a redirect is an answer with its own status).
   */
  static HealthCheck http(ProbeSpec spec, HttpClient client) {
    return new dev.pledge.sla.uptime.internal.HttpHealthCheck(spec, client);
  }

  /** The same with a client of its own. */
  static HealthCheck http(ProbeSpec spec) {
    return http(spec, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(spec.timeout()).build());
  }
}
