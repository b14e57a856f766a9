package dev.pledge.security.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.breach.BreachAction;
import dev.pledge.security.breach.BreachIncident;
import dev.pledge.security.breach.SecretSink;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The built-in action for {@link dev.pledge.security.breach.StepKind#RESET_CLOUD_CREDENTIALS} (P31):
 * every access key of the named IAM users is deactivated and deleted, and each user gets one new
 * key, handed over through a {@link SecretSink} under {@code INCIDENT.iam.USER} as JSON
 * ({@code {"AccessKeyId": ..., "SecretAccessKey": ...}}).
 *
 * <p>The keys held before the breach are deactivated first ({@code UpdateAccessKey} to
 * {@code Inactive}: they stop working at once and could still be reactivated if something
 * essential broke), then deleted; only then is the new key created, so the two-keys-per-user limit
 * of IAM is never in the way. Idempotent per incident: a resumed step finds the new key in the sink
 * and keeps it; a key created whose secret never reached the sink (a crash in between) is deleted
 * like the old ones and made again, so the user ends with exactly one key, the one in the sink.
 *
 * <p>In a drill (P32), each user gets a probe key that is created, deactivated and deleted again,
 * proving the rights with no lasting effect; a user that already holds two keys is only listed.
 * Thread-safe (the SDK client is).
 */
public final class IamKeyRotation implements BreachAction {
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9+=,.@_-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();
  private final IamClient iam;
  private final SecretSink sink;
  private final List<String> users;

  private IamKeyRotation(IamClient iam, SecretSink sink, List<String> users) {
    this.iam = iam;
    this.sink = sink;
    this.users = users;
  }

  /**
   * Rotates the access keys of {@code users}, handing the new ones to {@code sink}.
   *
   * @param iam a client whose credentials may list, create, update and delete those users' access keys
   */
  public static IamKeyRotation of(IamClient iam, SecretSink sink, List<String> users) {
    Objects.requireNonNull(iam, "iam");
    Objects.requireNonNull(sink, "sink");
    if (users.isEmpty()) {
      throw new IllegalArgumentException("users must name at least one IAM user");
    }
    for (String u : users) {
      if (u == null || !USER.matcher(u).matches()) {
        throw new IllegalArgumentException("an IAM user name is 1-64 of A-Z a-z 0-9 + = , . @ _ -, got '" + u + "'");
      }
    }
    return new IamKeyRotation(iam, sink, List.copyOf(users));
  }

  /** The name under which the new key of {@code user} for {@code incident} is kept. */
  public static String secretName(BreachIncident incident, String user) {
    return (incident.id() + ".iam." + user).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /** The access key id in a secret this action wrote, if it reads as one. */
  public static Optional<String> accessKeyId(Secret secret) {
    try {
      JsonNode n = JSON.readTree(secret.utf8());
      JsonNode id = n == null ? null : n.get("AccessKeyId");
      return id == null || !id.isTextual() ? Optional.empty() : Optional.of(id.asText());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public String perform(BreachIncident incident) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (String user : users) {
      try {
        done.add(incident.drill() ? rehearse(user) : rotate(incident, user));
      } catch (NoSuchEntityException e) {
        failed.add(user + ": no such IAM user");
      } catch (SdkException e) {
        failed.add(user + ": " + IamAccessTarget.message(e));
      } catch (RuntimeException e) {
        failed.add(user + ": " + e.getMessage());
      }
    }
    String verb = incident.drill() ? "rehearsed" : "rotated";
    if (!failed.isEmpty()) {
      throw new PledgeException(verb + " the access keys of " + done.size() + " of " + users.size()
          + " IAM users; failed: " + String.join("; ", failed));
    }
    return verb + " the access keys of " + users.size() + " IAM users: " + String.join(", ", done);
  }

  private String rotate(BreachIncident incident, String user) {
    String name = secretName(incident, user);
    Optional<String> handedOver = sink.get(name).flatMap(s -> {
      try {
        return accessKeyId(s);
      } finally {
        s.destroy();
      }
    });
    List<AccessKeyMetadata> keys = iam.listAccessKeysPaginator(r -> r.userName(user)).accessKeyMetadata().stream().toList();
    boolean kept = false;
    int deactivated = 0;
    int deleted = 0;
    for (AccessKeyMetadata k : keys) {
      if (handedOver.isPresent() && handedOver.get().equals(k.accessKeyId())) {
        kept = true;
        continue;
      }
      if (k.status() != StatusType.INACTIVE) {
        iam.updateAccessKey(r -> r.userName(user).accessKeyId(k.accessKeyId()).status(StatusType.INACTIVE));
        deactivated++;
      }
    }
    for (AccessKeyMetadata k : keys) {
      if (!(handedOver.isPresent() && handedOver.get().equals(k.accessKeyId()))) {
        try {
          iam.deleteAccessKey(r -> r.userName(user).accessKeyId(k.accessKeyId()));
          deleted++;
        } catch (NoSuchEntityException e) {
          // deleted by an earlier attempt
        }
      }
    }
    if (!kept) {
      AccessKey fresh = iam.createAccessKey(r -> r.userName(user)).accessKey();
      ObjectNode doc = JSON.createObjectNode();
      doc.put("AccessKeyId", fresh.accessKeyId());
      doc.put("SecretAccessKey", fresh.secretAccessKey());
      Secret s = Secret.ofUtf8(doc.toString());
      try {
        sink.put(name, s);
      } finally {
        s.destroy();
      }
      return user + " (" + deactivated + " deactivated, " + deleted + " deleted, new key " + fresh.accessKeyId() + ")";
    }
    return user + " (" + deactivated + " deactivated, " + deleted + " deleted, new key " + handedOver.get()
        + " already handed over)";
  }

  private String rehearse(String user) {
    List<AccessKeyMetadata> keys = iam.listAccessKeysPaginator(r -> r.userName(user)).accessKeyMetadata().stream().toList();
    if (keys.size() >= 2) {
      return user + " (" + keys.size() + " keys listed; no free slot for a probe key)";
    }
    AccessKey probe = iam.createAccessKey(r -> r.userName(user)).accessKey();
    try {
      iam.updateAccessKey(r -> r.userName(user).accessKeyId(probe.accessKeyId()).status(StatusType.INACTIVE));
    } finally {
      iam.deleteAccessKey(r -> r.userName(user).accessKeyId(probe.accessKeyId()));
    }
    return user + " (probe key " + probe.accessKeyId() + " created, deactivated and deleted)";
  }
}
