package dev.pledge.core.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.core.Scope;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.TreeMap;

/** The JSON Lines form of chained records and checkpoints. Stateless; thread-safe. */
final class JsonLinesCodec {
  private static final ObjectMapper MAPPER = Json.mapper();

  private JsonLinesCodec() {}

  /** A record line without its newline: the canonical JSON with {@code prev} and {@code hash} added. */
  static String recordLine(ChainedRecord c) {
    String canonical = AuditChain.canonicalJson(c.seq(), c.record());
    return canonical.substring(0, canonical.length() - 1) + ",\"prev\":\"" + c.prev() + "\",\"hash\":\"" + c.hash()
        + "\"}";
  }

  /** A checkpoint line without its newline. */
  static String checkpointLine(AuditCheckpoint cp) {
    StringBuilder b = new StringBuilder(256);
    b.append("{\"checkpoint\":").append(cp.seq()).append(",\"hash\":");
    AuditChain.str(b, cp.hash());
    b.append(",\"previous\":").append(cp.previous()).append(",\"at\":");
    AuditChain.str(b, cp.at().toString());
    b.append(",\"algorithm\":");
    AuditChain.str(b, cp.algorithm());
    b.append(",\"keyId\":");
    AuditChain.str(b, cp.keyId());
    b.append(",\"signature\":");
    AuditChain.str(b, cp.signature());
    return b.append('}').toString();
  }

  /** Whether a line (as Pledge writes it) is a checkpoint; a cheap test before parsing. */
  static boolean looksLikeCheckpoint(String line) {
    return line.startsWith("{\"checkpoint\":");
  }

  /** A parsed line: exactly one of the two is set. */
  record Parsed(ChainedRecord record, AuditCheckpoint checkpoint) {}

  /**
   * Parses one line.
   *
   * @param where the line's place for messages, such as {@code audit.jsonl:12}
   * @throws AuditFormatException when it is neither a record nor a checkpoint
   */
  static Parsed parse(String line, String where) {
    Long seq = null;
    Long checkpoint = null;
    Long previous = null;
    String at = null;
    String actor = null;
    String action = null;
    String resource = null;
    String outcome = null;
    String site = null;
    String env = null;
    String prev = null;
    String hash = null;
    String algorithm = null;
    String keyId = null;
    String signature = null;
    TreeMap<String, String> details = null;
    try (JsonParser p = MAPPER.getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw bad(where, "not a JSON object");
      }
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "seq" -> seq = number(p, v, where, name);
          case "checkpoint" -> checkpoint = number(p, v, where, name);
          case "previous" -> previous = number(p, v, where, name);
          case "details" -> {
            if (v != JsonToken.START_OBJECT) {
              throw bad(where, "details is not an object");
            }
            details = new TreeMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String k = p.currentName();
              if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad(where, "details." + k + " is not a string");
              }
              details.put(k, p.getText());
            }
          }
          default -> {
            if (v != JsonToken.VALUE_STRING) {
              throw bad(where, name + " is not a string");
            }
            String s = p.getText();
            switch (name) {
              case "at" -> at = s;
              case "actor" -> actor = s;
              case "action" -> action = s;
              case "resource" -> resource = s;
              case "outcome" -> outcome = s;
              case "site" -> site = s;
              case "env" -> env = s;
              case "prev" -> prev = s;
              case "hash" -> hash = s;
              case "algorithm" -> algorithm = s;
              case "keyId" -> keyId = s;
              case "signature" -> signature = s;
              default -> throw bad(where, "unknown field '" + name + "'");
            }
          }
        }
      }
      if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
        throw bad(where, "not one JSON object");
      }
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw bad(where, "not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw bad(where, "not JSON (" + e.getMessage() + ")");
    }
    try {
      if (checkpoint != null) {
        return new Parsed(null, new AuditCheckpoint(checkpoint, req(hash, "hash", where), previous == null ? -1 : previous,
            Instant.parse(req(at, "at", where)), req(algorithm, "algorithm", where), req(keyId, "keyId", where),
            req(signature, "signature", where)));
      }
      if (seq == null) {
        throw bad(where, "no seq: not a chained audit record");
      }
      AuditRecord r = new AuditRecord(Instant.parse(req(at, "at", where)), actor, action, resource,
          AuditOutcome.valueOf(req(outcome, "outcome", where)),
          site == null && env == null ? null : Scope.of(req(site, "site", where), req(env, "env", where)), details);
      return new Parsed(new ChainedRecord(seq, r, req(prev, "prev", where), req(hash, "hash", where)), null);
    } catch (DateTimeParseException e) {
      throw bad(where, "at is not an ISO-8601 instant");
    } catch (IllegalArgumentException | NullPointerException e) {
      throw bad(where, e.getMessage());
    }
  }

  private static Long number(JsonParser p, JsonToken v, String where, String name) throws IOException {
    if (v != JsonToken.VALUE_NUMBER_INT) {
      throw bad(where, name + " is not a whole number");
    }
    return p.getLongValue();
  }

  private static String req(String v, String name, String where) {
    if (v == null) {
      throw bad(where, "no " + name);
    }
    return v;
  }

  private static AuditFormatException bad(String where, String what) {
    return new AuditFormatException(where + ": not an audit record: " + what);
  }
}
