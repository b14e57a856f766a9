package dev.pledge.sla.uptime.internal;

import dev.pledge.sla.uptime.HealthCheck;
import dev.pledge.sla.uptime.ProbeSpec;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Objects;

/** The HTTP GET probe behind {@link HealthCheck#http}. Thread-safe. */
public final class HttpHealthCheck implements HealthCheck {
  private final ProbeSpec spec;
  private final HttpClient client;

  /** A probe of {@code spec.url()} through {@code client}. */
  public HttpHealthCheck(ProbeSpec spec, HttpClient client) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.client = Objects.requireNonNull(client, "client");
  }

  @Override
  public Result check() {
    HttpRequest req = HttpRequest.newBuilder(spec.url()).timeout(spec.timeout()).GET()
        .header("User-Agent", "pledge-uptime").build();
    try {
      HttpResponse<Void> res = client.send(req, HttpResponse.BodyHandlers.discarding());
      int status = res.statusCode();
      return status == spec.expectedStatus()
          ? Result.up("status " + status)
          : Result.down("status " + status + ", expected " + spec.expectedStatus());
    } catch (HttpTimeoutException e) {
      return Result.down("no answer within " + dev.pledge.core.time.Durations.format(spec.timeout()));
    } catch (IOException e) {
      return Result.down("request failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Result.down("interrupted");
    }
  }

  @Override
  public String toString() {
    return "HttpHealthCheck[" + spec.site() + "]";
  }
}
