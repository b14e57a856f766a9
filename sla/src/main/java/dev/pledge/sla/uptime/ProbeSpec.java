package dev.pledge.sla.uptime;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.pledge.core.SiteId;
import java.net.URI;
import java.time.Duration;

/**
 * One health probe of the {@code uptime} policy section (P4): an HTTP GET of {@code url} every
 * {@code interval}, failing when no answer comes within {@code timeout} or the status is not
 * {@code expectedStatus}; the site is down after {@code failuresBeforeDown} consecutive failures and
 * up again after {@code successesBeforeUp} consecutive successes. Immutable.
 *
 * @param site the site the probe watches (required)
 * @param url an {@code http} or {@code https} URL (required)
 * @param interval time between probes (default 1 minute)
 * @param timeout how long one probe waits for an answer (default 10 seconds; must be below interval)
 * @param expectedStatus the HTTP status of a healthy answer (default 200)
 * @param failuresBeforeDown consecutive failures that make the site down (default 3, at least 1)
 * @param successesBeforeUp consecutive successes that make it up again (default 1, at least 1)
 */
public record ProbeSpec(
    @JsonProperty(required = true) SiteId site,
    @JsonProperty(required = true) URI url,
    Duration interval,
    Duration timeout,
    Integer expectedStatus,
    Integer failuresBeforeDown,
    Integer successesBeforeUp) {

  /** Applies defaults and validates. */
  public ProbeSpec {
    if (site == null) {
      throw new IllegalArgumentException("site is required");
    }
    if (url == null) {
      throw new IllegalArgumentException("url is required");
    }
    if (url.getScheme() == null || !(url.getScheme().equals("http") || url.getScheme().equals("https"))
        || url.getHost() == null) {
      throw new IllegalArgumentException("url must be an absolute http or https URL, got '" + dev.pledge.core.internal.Redaction.location(String.valueOf(url)) + "'");
    }
    interval = interval == null ? Duration.ofMinutes(1) : interval;
    timeout = timeout == null ? Duration.ofSeconds(10) : timeout;
    if (timeout.compareTo(interval) >= 0) {
      throw new IllegalArgumentException("timeout must be shorter than interval, got timeout " + timeout
          + " and interval " + interval);
    }
    expectedStatus = expectedStatus == null ? 200 : expectedStatus;
    if (expectedStatus < 100 || expectedStatus > 599) {
      throw new IllegalArgumentException("expectedStatus must be an HTTP status 100-599, got " + expectedStatus);
    }
    failuresBeforeDown = failuresBeforeDown == null ? 3 : failuresBeforeDown;
    if (failuresBeforeDown < 1) {
      throw new IllegalArgumentException("failuresBeforeDown must be at least 1, got " + failuresBeforeDown);
    }
    successesBeforeUp = successesBeforeUp == null ? 1 : successesBeforeUp;
    if (successesBeforeUp < 1) {
      throw new IllegalArgumentException("successesBeforeUp must be at least 1, got " + successesBeforeUp);
    }
  }

  /** A probe of {@code url} for {@code site} with every default. */
  public static ProbeSpec of(SiteId site, URI url) {
    return new ProbeSpec(site, url, null, null, null, null, null);
  }
}
