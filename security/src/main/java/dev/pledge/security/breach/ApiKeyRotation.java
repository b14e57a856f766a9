package dev.pledge.security.breach;

import dev.pledge.security.apikey.ApiKey;
import dev.pledge.security.apikey.ApiKeys;
import dev.pledge.security.apikey.IssuedKey;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The built-in action for {@link StepKind#REVOKE_EXTERNAL_KEYS} (P29): every owner of an active API
 * key gets a new key, handed over through a {@link SecretSink} (under {@code INCIDENT.apikey.OWNER}),
 * and every key issued before the breach is revoked.
 *
 * <p>Idempotent per incident: an owner whose key labelled for this incident is in the sink is done;
 * a key labelled for it whose text never reached the sink (a crash in between) is revoked and issued
 * again; old keys are revoked only after the new one is in the sink, so no owner is left without a
 * key. In a drill, a probe key is issued, verified and revoked (P32). Thread-safe.
 */
public final class ApiKeyRotation implements BreachAction {
  private final ApiKeys keys;
  private final SecretSink sink;

  private ApiKeyRotation(ApiKeys keys, SecretSink sink) {
    this.keys = keys;
    this.sink = sink;
  }

  /** Rotates the keys of {@code keys}, handing new ones to {@code sink}. */
  public static ApiKeyRotation of(ApiKeys keys, SecretSink sink) {
    return new ApiKeyRotation(Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(sink, "sink"));
  }

  @Override
  public String perform(BreachIncident incident) {
    if (incident.drill()) {
      IssuedKey probe = keys.issue("pledge-probe", "drill " + incident.id());
      boolean verified = keys.verify(probe.text().utf8()).isPresent();
      keys.revoke(probe.key().id(), "drill " + incident.id());
      boolean refusedAfter = keys.verify(probe.text().utf8()).isEmpty();
      probe.text().destroy();
      if (!verified || !refusedAfter) {
        throw new IllegalStateException("the probe key was not accepted before its revocation and refused after");
      }
      return "rehearsed: probe key " + probe.key().id() + " issued, verified and revoked";
    }
    String label = "rotated for " + incident.id();
    Set<String> owners = new LinkedHashSet<>();
    for (ApiKey k : keys.keys()) {
      if (k.active() || k.label().equals(label)) {
        owners.add(k.owner());
      }
    }
    owners.remove("pledge-probe");
    int issued = 0;
    int revoked = 0;
    for (String owner : owners) {
      String name = (incident.id() + ".apikey." + owner).replaceAll("[^A-Za-z0-9._-]", "_");
      boolean handedOver = false;
      for (ApiKey k : keys.activeKeys(owner)) {
        if (k.label().equals(label)) {
          if (sink.get(name).map(s -> keys.verify(s.utf8()).map(v -> v.id().equals(k.id())).orElse(false))
              .orElse(false)) {
            handedOver = true;
          } else if (keys.revoke(k.id(), "never handed over during " + incident.id())) {
            revoked++;
          }
        }
      }
      if (!handedOver) {
        IssuedKey fresh = keys.issue(owner, label);
        sink.put(name, fresh.text());
        fresh.text().destroy();
        issued++;
      }
      for (ApiKey k : keys.activeKeys(owner)) {
        if (!k.label().equals(label) && keys.revoke(k.id(), "breach " + incident.id())) {
          revoked++;
        }
      }
    }
    return "revoked " + revoked + " API keys and issued " + issued + " new ones for " + owners.size() + " owners";
  }
}
