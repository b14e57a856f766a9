package dev.pledge.backup.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.crypto.tink.subtle.Hkdf;
import dev.pledge.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The authentication of a backup manifest: an HMAC-SHA256 over the manifest's canonical JSON, under
 * a key derived from the backup's data key, which only the master key can unwrap.
 *
 * <p><b>Key.</b> HKDF-SHA256 (Tink's {@link Hkdf}; RFC 5869) with the unwrapped data-key bytes (the
 * serialised keyset exactly as wrapped) as input keying material, no salt, the info {@code
 * "pledge-backup/manifest-mac/v1\n" + context} (the same context the data key is wrapped under:
 * version, scope and backup id), 32 bytes out. The key is used for nothing else.
 *
 * <p><b>Canonical encoding.</b> The manifest as stored is parsed as a JSON object; its top-level
 * {@code mac} member is removed; every object, at every depth, has its members put in ascending
 * order of name ({@link String#compareTo}, UTF-16 code units); array order is kept. The result is
 * written by Jackson as compact JSON (no whitespace, strings escaped only where JSON requires it,
 * integers in plain decimal), UTF-8. Members a later release adds are therefore authenticated too,
 * and an older reader that ignores them still checks the MAC.
 *
 * <p><b>Value.</b> {@code hmac-sha256:} followed by the 64 lower-case hex digits of the tag.
 * Compared in constant time.
 */
public final class ManifestMac {
  /** The manifest member that carries the MAC. */
  public static final String FIELD = "mac";

  private static final String PREFIX = "hmac-sha256:";
  private static final Pattern VALUE = Pattern.compile(Pattern.quote(PREFIX) + "[0-9a-f]{64}");
  private static final String INFO = "pledge-backup/manifest-mac/v1\n";

  private ManifestMac() {}

  /** The canonical bytes of {@code manifest} (a parsed manifest object): see the class comment. */
  public static byte[] canonical(JsonNode manifest) {
    if (!manifest.isObject()) {
      throw new IllegalArgumentException("a manifest must be a JSON object, got " + manifest.getNodeType());
    }
    ObjectNode copy = ((ObjectNode) manifest).deepCopy();
    copy.remove(FIELD);
    try {
      return Json.mapper().writeValueAsBytes(sorted(copy));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot encode a manifest tree", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      List<String> names = new ArrayList<>();
      node.fieldNames().forEachRemaining(names::add);
      names.sort(null);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      for (String name : names) {
        out.set(name, sorted(node.get(name)));
      }
      return out;
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (Iterator<JsonNode> it = node.elements(); it.hasNext(); ) {
        out.add(sorted(it.next()));
      }
      return out;
    }
    return node;
  }

  /** The MAC value of {@code manifest} under the key derived from {@code dataKey} and {@code context}. */
  public static String compute(byte[] dataKey, String context, JsonNode manifest) {
    return PREFIX + HexFormat.of().formatHex(tag(dataKey, context, canonical(manifest)));
  }

  /** Whether {@code value} has the shape of a MAC value ({@code hmac-sha256:} and 64 hex digits). */
  public static boolean wellFormed(String value) {
    return value != null && VALUE.matcher(value).matches();
  }

  /**
   * Whether {@code value} (well formed, see {@link #wellFormed}) is the MAC of {@code manifest} under
   * the key derived from {@code dataKey} and {@code context}; compared in constant time.
   */
  public static boolean verify(byte[] dataKey, String context, JsonNode manifest, String value) {
    if (!wellFormed(value)) {
      return false;
    }
    byte[] expected = tag(dataKey, context, canonical(manifest));
    byte[] given = HexFormat.of().parseHex(value.substring(PREFIX.length()));
    return MessageDigest.isEqual(expected, given);
  }

  private static byte[] tag(byte[] dataKey, String context, byte[] canonical) {
    byte[] key = null;
    try {
      key = Hkdf.computeHkdf("HMACSHA256", dataKey, new byte[0], (INFO + context).getBytes(StandardCharsets.UTF_8), 32);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(canonical);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available: " + e.getClass().getSimpleName(), null);
    } finally {
      if (key != null) {
        Arrays.fill(key, (byte) 0);
      }
    }
  }
}
