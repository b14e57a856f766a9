package dev.pledge.backup.store;

import dev.pledge.core.internal.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A parsed {@code s3://bucket/prefix?region=eu-west-2[&endpoint=http://127.0.0.1:9090]} location.
 * The region is required: residency (P1) is checked against it before any byte is sent. Immutable.
 *
 * @param bucket the bucket name
 * @param prefix the key prefix inside the bucket, without leading or trailing {@code /}; may be empty
 * @param region the bucket's region, such as {@code eu-west-2}
 * @param endpoint a custom endpoint (an S3-compatible server), or {@code null} for AWS
 */
public record S3Location(String bucket, String prefix, String region, URI endpoint) {
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");

  /** Validates the location. */
  public S3Location {
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new IllegalArgumentException("s3 bucket must be 3-63 lower-case letters, digits, '.' or '-', got '" + bucket + "'");
    }
    prefix = prefix == null ? "" : prefix.replaceAll("^/+|/+$", "");
    if (region == null || !REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("s3 location needs ?region= with a region code such as eu-west-2, "
          + (region == null ? "and has none" : "got '" + region + "'"));
    }
    if (endpoint != null && !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
      throw new IllegalArgumentException("s3 endpoint must be an http(s) URL, got '"
          + Redaction.location(endpoint.toString()) + "'");
    }
    if (endpoint != null && endpoint.getRawUserInfo() != null) {
      throw new IllegalArgumentException("s3 endpoint must not hold credentials ('"
          + Redaction.location(endpoint.toString()) + "'); AWS credentials come from the SDK's provider chain");
    }
  }

  /** Parses {@code s3://bucket/prefix?region=...&endpoint=...}; throws IllegalArgumentException naming the problem. */
  public static S3Location parse(String text) {
    Objects.requireNonNull(text, "location");
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("'" + Redaction.location(text) + "' is not a URI: " + e.getReason());
    }
    if (!"s3".equals(uri.getScheme()) || uri.getHost() == null) {
      throw new IllegalArgumentException("'" + Redaction.location(text) + "' is not an s3://bucket/prefix location");
    }
    if (uri.getRawUserInfo() != null) {
      throw new IllegalArgumentException("s3 location '" + Redaction.location(text) + "' must not hold credentials;"
          + " AWS credentials come from the SDK's provider chain");
    }
    Map<String, String> query = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String k = eq < 0 ? pair : pair.substring(0, eq);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (!k.equals("region") && !k.equals("endpoint")) {
          throw new IllegalArgumentException("s3 location '" + Redaction.location(text) + "': unknown parameter '" + k
              + "' (use region, endpoint)");
        }
        query.put(k, v);
      }
    }
    URI endpoint = null;
    if (query.containsKey("endpoint")) {
      try {
        endpoint = new URI(query.get("endpoint"));
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("s3 endpoint '" + Redaction.location(query.get("endpoint")) + "' is not a URL");
      }
    }
    return new S3Location(uri.getHost(), uri.getPath(), query.get("region"), endpoint);
  }

  /** The key of object {@code key} inside the bucket. */
  public String objectKey(String key) {
    return prefix.isEmpty() ? key : prefix + "/" + key;
  }

  @Override
  public String toString() {
    return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + "?region=" + region
        + (endpoint == null ? "" : "&endpoint=" + endpoint);
  }
}
