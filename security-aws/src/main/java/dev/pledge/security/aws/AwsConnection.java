package dev.pledge.security.aws;

import dev.pledge.core.Secret;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * How Pledge reaches AWS: a region, the credentials (the SDK's default chain unless given), and for
 * tests or a private endpoint, another endpoint than the region's. Builds the IAM and Secrets
 * Manager clients the components of this artifact take, on the JDK's URL connection client (no
 * Netty, no Apache HttpClient). A host that already has clients passes its own instead. Immutable;
 * {@link #toString()} never shows a secret.
 */
public final class AwsConnection {
  private final Region region;
  private final URI endpoint;
  private final String accessKeyId;
  private final Secret secretAccessKey;
  private final Duration timeout;

  private final Builder settings;

  private AwsConnection(Builder b) {
    this.settings = new Builder(b);
    this.region = b.region;
    this.endpoint = b.endpoint;
    this.accessKeyId = b.accessKeyId;
    this.secretAccessKey = b.secretAccessKey;
    this.timeout = b.timeout;
  }

  /** A builder: region {@code us-east-1}, the default credential chain, 30-second timeouts. */
  public static Builder builder() {
    return new Builder();
  }

  /** The region. */
  public String region() {
    return region.id();
  }

  /** A new IAM client; the caller closes it. */
  public IamClient iam() {
    var b = IamClient.builder().region(region).credentialsProvider(credentials()).httpClient(http())
        .overrideConfiguration(override());
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  /** A new Secrets Manager client; the caller closes it. */
  public SecretsManagerClient secretsManager() {
    var b = SecretsManagerClient.builder().region(region).credentialsProvider(credentials()).httpClient(http())
        .overrideConfiguration(override());
    if (endpoint != null) {
      b.endpointOverride(endpoint);
    }
    return b.build();
  }

  private AwsCredentialsProvider credentials() {
    if (accessKeyId == null) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey.utf8()));
  }

  private software.amazon.awssdk.http.SdkHttpClient http() {
    return UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout).build();
  }

  private ClientOverrideConfiguration override() {
    return ClientOverrideConfiguration.builder().apiCallTimeout(timeout.multipliedBy(3)).build();
  }

  @Override
  public String toString() {
    return "AwsConnection[region=" + region + (endpoint == null ? "" : ", endpoint=" + endpoint)
        + (accessKeyId == null ? ", default credentials" : ", access key " + accessKeyId) + "]";
  }

  /**
   * A builder holding every setting of this connection (region, endpoint, credentials, timeout), to
   * change one.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds an {@link AwsConnection}. Not thread-safe. */
  public static final class Builder {
    private Region region = Region.US_EAST_1;
    private URI endpoint;
    private String accessKeyId;
    private Secret secretAccessKey;
    private Duration timeout = Duration.ofSeconds(30);

    private Builder() {}

    /** The AWS region, such as {@code eu-west-2} (IAM is global; its requests are signed for us-east-1 by the SDK). */
    public Builder region(String region) {
      if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
        throw new IllegalArgumentException("region must read like eu-west-2, got '" + region + "'");
      }
      this.region = Region.of(region);
      return this;
    }

    /** Another endpoint than the region's, such as a VPC endpoint or a local stand-in. */
    public Builder endpoint(URI endpoint) {
      this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
      return this;
    }

    /** An access key id and its secret, instead of the SDK's default credential chain. */
    public Builder credentials(String accessKeyId, Secret secretAccessKey) {
      if (accessKeyId == null || accessKeyId.isBlank()) {
        throw new IllegalArgumentException("accessKeyId must not be blank");
      }
      this.accessKeyId = accessKeyId;
      this.secretAccessKey = Objects.requireNonNull(secretAccessKey, "secretAccessKey");
      return this;
    }

    /** How long to wait to connect and for each read (default 30 seconds); a call gives up after three times that. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /** The connection. */
    public AwsConnection build() {
      return new AwsConnection(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.region = other.region;
      this.endpoint = other.endpoint;
      this.accessKeyId = other.accessKeyId;
      this.secretAccessKey = other.secretAccessKey;
      this.timeout = other.timeout;
    }
  }
}
