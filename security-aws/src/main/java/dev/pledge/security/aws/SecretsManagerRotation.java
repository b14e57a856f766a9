package dev.pledge.security.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.breach.BreachAction;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.DatastoreCredential;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * The built-in action for {@link dev.pledge.security.breach.StepKind#ROTATE_DATASTORE_CREDENTIALS}
 * (P31) when the applications read their data-store passwords from AWS Secrets Manager: each login's
 * new password becomes a new version of its secret, staged the way Secrets Manager's own rotation
 * does it.
 *
 * <ol>
 *   <li>create: a new version is put with the label {@code AWSPENDING}, its id (the
 *       {@code ClientRequestToken}) derived from the incident and the credential, so a resumed step
 *       finds the version it already made and reuses its password instead of making another. When
 *       the current value is a JSON object (the database secret format, with {@code username},
 *       {@code host}...), only its {@code password} field changes;</li>
 *   <li>set: the data store's login is given the pending password
 *       ({@link DatastoreCredential#setPassword});</li>
 *   <li>test: when the builder was given a {@link Tester}, it proves the login works with the
 *       pending password (such as by connecting as the application would); a failing test leaves
 *       {@code AWSCURRENT} where it was and the step failed, and a resumed step sets and tests the
 *       same pending password again;</li>
 *   <li>finish: {@code AWSCURRENT} moves to the new version (Secrets Manager moves
 *       {@code AWSPREVIOUS} to the old one) and {@code AWSPENDING} is removed.</li>
 * </ol>
 *
 * <p>A crash at any point never leaves a password that no version holds: the pending version is
 * written before the store is changed, and the store is set again on resume. In a drill (P32), each
 * secret is described and its current value read, and each login is rehearsed with a probe
 * ({@link DatastoreCredential#rehearse}); nothing is written to Secrets Manager. Thread-safe (the SDK
 * client is); never logs a secret.
 */
public final class SecretsManagerRotation implements BreachAction {
  /** The label of the version in use. */
  public static final String CURRENT = "AWSCURRENT";
  /** The label of the version being rotated to. */
  public static final String PENDING = "AWSPENDING";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

  private final SecretsManagerClient sm;
  private final Map<DatastoreCredential, String> secrets;
  private final Tester tester;

  private SecretsManagerRotation(SecretsManagerClient sm, Map<DatastoreCredential, String> secrets, Tester tester) {
    this.sm = sm;
    this.secrets = secrets;
    this.tester = tester;
  }

  /**
   * The test step of a rotation: proves that a data-store login works with its new password before
   * the password becomes current.
   */
  @FunctionalInterface
  public interface Tester {
    /**
     * Returns normally when {@code credential}'s login works with {@code password}.
     *
     * @throws Exception saying why it does not (never containing the password)
     */
    void test(DatastoreCredential credential, Secret password) throws Exception;
  }

  /** A builder for a rotation through {@code secretsManager}. */
  public static Builder builder(SecretsManagerClient secretsManager) {
    return new Builder(secretsManager);
  }

  /**
   * The version id (the {@code ClientRequestToken}) that the rotation of {@code credential} for
   * {@code incident} puts: the same on every run of that incident.
   */
  public static String versionId(BreachIncident incident, DatastoreCredential credential) {
    return UUID.nameUUIDFromBytes(("pledge-breach:" + incident.id() + ":" + credential.name())
        .getBytes(StandardCharsets.UTF_8)).toString();
  }

  @Override
  public String perform(BreachIncident incident) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (Map.Entry<DatastoreCredential, String> e : secrets.entrySet()) {
      DatastoreCredential c = e.getKey();
      String secretId = e.getValue();
      try {
        done.add(incident.drill() ? rehearse(c, secretId) : rotate(incident, c, secretId));
      } catch (SdkException ex) {
        failed.add(c.name() + ": Secrets Manager refused " + secretId + ": " + message(ex));
      } catch (RuntimeException ex) {
        failed.add(c.name() + ": " + ex.getMessage());
      }
    }
    String verb = incident.drill() ? "rehearsed " : "rotated ";
    if (!failed.isEmpty()) {
      throw new PledgeException(verb + done.size() + " of " + secrets.size()
          + " data-store credentials in Secrets Manager; failed: " + String.join("; ", failed));
    }
    return verb + done.size() + " data-store credentials in Secrets Manager: " + String.join(", ", done);
  }

  private String rotate(BreachIncident incident, DatastoreCredential c, String secretId) {
    String token = versionId(incident, c);
    DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(secretId));
    Map<String, List<String>> versions = d.versionIdsToStages();
    if (versions.getOrDefault(token, List.of()).contains(CURRENT)) {
      return c.name() + " (" + secretId + " already current at version " + token + ")";
    }
    String current = versions.entrySet().stream().filter(v -> v.getValue().contains(CURRENT))
        .map(Map.Entry::getKey).findFirst().orElse(null);
    // create: reuse the pending version of this incident, or put it
    Secret password;
    if (versions.containsKey(token)) {
      GetSecretValueResponse pending = sm.getSecretValue(r -> r.secretId(secretId).versionId(token));
      password = passwordOf(pending.secretString());
      if (!versions.get(token).contains(PENDING)) {
        String holder = holderOf(versions, PENDING);
        sm.updateSecretVersionStage(r -> r.secretId(secretId).versionStage(PENDING).moveToVersionId(token)
            .removeFromVersionId(holder));
      }
    } else {
      String template = current == null ? null
          : sm.getSecretValue(r -> r.secretId(secretId).versionStage(CURRENT)).secretString();
      password = random();
      String value = withPassword(template, password);
      sm.putSecretValue(r -> r.secretId(secretId).clientRequestToken(token).secretString(value)
          .versionStages(PENDING));
    }
    // set, then test
    try {
      c.setPassword(password);
      if (tester != null) {
        try {
          tester.test(c, password);
        } catch (Exception e) {
          throw new PledgeException("the login does not work with the pending version " + token
              + ", so AWSCURRENT stays where it was: " + e.getMessage(), e);
        }
      }
    } finally {
      password.destroy();
    }
    // finish
    sm.updateSecretVersionStage(r -> r.secretId(secretId).versionStage(CURRENT).moveToVersionId(token)
        .removeFromVersionId(current));
    sm.updateSecretVersionStage(r -> r.secretId(secretId).versionStage(PENDING).removeFromVersionId(token));
    return c.name() + " (" + secretId + " version " + token + " current)";
  }

  private String rehearse(DatastoreCredential c, String secretId) {
    DescribeSecretResponse d = sm.describeSecret(r -> r.secretId(secretId));
    String current = holderOf(d.versionIdsToStages(), CURRENT);
    if (current == null) {
      throw new PledgeException("secret " + secretId + " has no AWSCURRENT version");
    }
    sm.getSecretValue(r -> r.secretId(secretId).versionStage(CURRENT)).secretString();
    return c.name() + " (" + secretId + " readable at version " + current + "; probe " + c.rehearse()
        + " created, changed and dropped)";
  }

  private static String holderOf(Map<String, List<String>> versions, String stage) {
    return versions.entrySet().stream().filter(v -> v.getValue().contains(stage)).map(Map.Entry::getKey)
        .findFirst().orElse(null);
  }

  /** The secret's new value: {@code template} with its {@code password} field replaced when it is a JSON object. */
  static String withPassword(String template, Secret password) {
    if (template != null && template.trim().startsWith("{")) {
      try {
        JsonNode n = JSON.readTree(template);
        if (n instanceof ObjectNode o) {
          o.put("password", password.utf8());
          return JSON.writeValueAsString(o);
        }
      } catch (IOException e) {
        // not JSON after all: the value is the password alone
      }
    }
    return password.utf8();
  }

  /** The password in a secret's value: its {@code password} field when it is a JSON object, else the value. */
  static Secret passwordOf(String value) {
    if (value != null && value.trim().startsWith("{")) {
      try {
        JsonNode n = JSON.readTree(value);
        JsonNode p = n == null ? null : n.get("password");
        if (p != null && p.isTextual()) {
          return Secret.ofUtf8(p.asText());
        }
      } catch (IOException e) {
        // not JSON after all
      }
    }
    return Secret.ofUtf8(Objects.requireNonNull(value, "the pending version has no string value"));
  }

  private static Secret random() {
    char[] c = new char[32];
    for (int i = 0; i < c.length; i++) {
      c[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    Secret s = Secret.ofUtf8(new String(c));
    java.util.Arrays.fill(c, '\0');
    return s;
  }

  static String message(SdkException e) {
    if (e instanceof SecretsManagerException se && se.awsErrorDetails() != null) {
      return se.awsErrorDetails().errorCode() + ": " + se.awsErrorDetails().errorMessage();
    }
    return e.getMessage();
  }

  /** A builder holding every setting of this rotation (client, credentials and their secrets, tester), to change one. */
  public Builder toBuilder() {
    Builder b = builder(sm);
    secrets.forEach(b::credential);
    if (tester != null) {
      b.tester(tester);
    }
    return b;
  }

  /** Builds a {@link SecretsManagerRotation}. Not thread-safe. */
  public static final class Builder {
    private final SecretsManagerClient sm;
    private final Map<DatastoreCredential, String> secrets = new LinkedHashMap<>();
    private Tester tester;

    private Builder(SecretsManagerClient sm) {
      this.sm = Objects.requireNonNull(sm, "secretsManager");
    }

    /**
     * Rotates {@code credential}, whose password the applications read from the secret
     * {@code secretId} (a name or ARN).
     */
    public Builder credential(DatastoreCredential credential, String secretId) {
      Objects.requireNonNull(credential, "credential");
      if (secretId == null || secretId.isBlank()) {
        throw new IllegalArgumentException("the secret id of " + credential.name() + " must not be blank");
      }
      secrets.put(credential, secretId);
      return this;
    }

    /** The test step run after each login's password is set and before it becomes current (default: none). */
    public Builder tester(Tester tester) {
      this.tester = Objects.requireNonNull(tester, "tester");
      return this;
    }

    /** The action. */
    public SecretsManagerRotation build() {
      if (secrets.isEmpty()) {
        throw new IllegalArgumentException("a Secrets Manager rotation needs at least one credential");
      }
      return new SecretsManagerRotation(sm, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(secrets)), tester);
    }
  }
}
