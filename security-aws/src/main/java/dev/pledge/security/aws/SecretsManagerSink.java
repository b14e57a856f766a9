package dev.pledge.security.aws;

import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.breach.SecretSink;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * A {@link SecretSink} in AWS Secrets Manager: each secret a breach action hands over (a regenerated
 * API key, a new cloud access key, a data-store password) is stored as the secret
 * {@code PREFIX + NAME}, created on first use; a later put adds a new version labelled
 * {@code AWSCURRENT}, and Secrets Manager keeps the one before as {@code AWSPREVIOUS}. Who may read
 * a secret is up to the account's IAM policies and the secret's KMS key (the account's default
 * unless {@link #of(SecretsManagerClient, String, String)} names one). Thread-safe (the SDK client
 * is); never logs a secret.
 */
public final class SecretsManagerSink implements SecretSink {
  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9/_+=.@-]{0,256}");
  private final SecretsManagerClient sm;
  private final String prefix;
  private final String kmsKeyId;

  private SecretsManagerSink(SecretsManagerClient sm, String prefix, String kmsKeyId) {
    this.sm = sm;
    this.prefix = prefix;
    this.kmsKeyId = kmsKeyId;
  }

  /** Secrets named {@code prefix + name}, such as {@code pledge/breach/INC-7.apikey.acme}. */
  public static SecretsManagerSink of(SecretsManagerClient secretsManager, String prefix) {
    return of(secretsManager, prefix, null);
  }

  /** As {@link #of(SecretsManagerClient, String)}, new secrets encrypted with the KMS key {@code kmsKeyId}. */
  public static SecretsManagerSink of(SecretsManagerClient secretsManager, String prefix, String kmsKeyId) {
    Objects.requireNonNull(secretsManager, "secretsManager");
    if (prefix == null || !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("prefix may hold letters, digits and / _ + = . @ - only, got '" + prefix + "'");
    }
    return new SecretsManagerSink(secretsManager, prefix, kmsKeyId);
  }

  /** The secret's name in Secrets Manager for {@code name}. */
  public String secretId(String name) {
    return prefix + name;
  }

  @Override
  public void put(String name, Secret secret) {
    Objects.requireNonNull(secret, "secret");
    String id = secretId(requireName(name));
    String value = secret.utf8();
    try {
      try {
        sm.putSecretValue(r -> r.secretId(id).secretString(value));
      } catch (ResourceNotFoundException e) {
        sm.createSecret(r -> r.name(id).secretString(value).kmsKeyId(kmsKeyId)
            .description("written by Pledge's breach protocol"));
      }
    } catch (SdkException e) {
      throw new PledgeException("Secrets Manager refused to store " + id + ": " + SecretsManagerRotation.message(e), e);
    }
  }

  @Override
  public Optional<Secret> get(String name) {
    String id = secretId(requireName(name));
    try {
      String v = sm.getSecretValue(r -> r.secretId(id)).secretString();
      return v == null ? Optional.empty() : Optional.of(Secret.ofUtf8(v));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    } catch (SdkException e) {
      throw new PledgeException("Secrets Manager refused to read " + id + ": " + SecretsManagerRotation.message(e), e);
    }
  }

  private static String requireName(String name) {
    if (name == null || !name.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new IllegalArgumentException("secret name must be 1-200 of A-Z a-z 0-9 . _ -, got '" + name + "'");
    }
    return name;
  }

  @Override
  public String toString() {
    return "SecretsManagerSink[" + prefix + "]";
  }
}
