package dev.pledge.security.breach;

import dev.pledge.core.PledgeException;
import dev.pledge.core.Secret;
import dev.pledge.security.breach.internal.Secrets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The built-in action for {@link StepKind#ROTATE_DATASTORE_CREDENTIALS} (P31): gives each data-store
 * login a new random password and hands it over through a {@link SecretSink}.
 *
 * <p>Idempotent per incident: the new password is written to the sink (under
 * {@code INCIDENT.CREDENTIAL}) before the store is changed, and a resumed response finds it there and
 * sets the same password again, so a crash at any point never leaves a password that nobody holds.
 * In a drill, each credential is rehearsed instead: a probe login is created, changed and dropped,
 * proving the rights with no lasting effect (P32). Thread-safe.
 */
public final class DatastoreRotation implements BreachAction {
  private final SecretSink sink;
  private final List<DatastoreCredential> credentials;

  private DatastoreRotation(SecretSink sink, List<DatastoreCredential> credentials) {
    this.sink = sink;
    this.credentials = credentials;
  }

  /** Rotates {@code credentials}, handing the new passwords to {@code sink}. */
  public static DatastoreRotation of(SecretSink sink, List<DatastoreCredential> credentials) {
    Objects.requireNonNull(sink, "sink");
    if (credentials.isEmpty()) {
      throw new IllegalArgumentException("credentials must name at least one data-store login");
    }
    return new DatastoreRotation(sink, List.copyOf(credentials));
  }

  /** The name under which the new password of {@code credential} for {@code incident} is kept. */
  public static String secretName(BreachIncident incident, DatastoreCredential credential) {
    return (incident.id() + "." + credential.name()).replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public String perform(BreachIncident incident) {
    List<String> done = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    for (DatastoreCredential c : credentials) {
      try {
        if (incident.drill()) {
          done.add(c.name() + " (probe " + c.rehearse() + " created, changed and dropped)");
        } else {
          String key = secretName(incident, c);
          Secret password = sink.get(key).orElse(null);
          if (password == null) {
            password = Secrets.random();
            sink.put(key, password);
          }
          try {
            c.setPassword(password);
          } finally {
            password.destroy();
          }
          done.add(c.name());
        }
      } catch (RuntimeException e) {
        failed.add(c.name() + ": " + e.getMessage());
      }
    }
    if (!failed.isEmpty()) {
      throw new PledgeException((incident.drill() ? "rehearsed " : "rotated ") + done.size() + " of "
          + credentials.size() + " data-store credentials; failed: " + String.join("; ", failed));
    }
    return (incident.drill() ? "rehearsed " : "rotated ") + done.size() + " data-store credentials: "
        + String.join(", ", done);
  }
}
