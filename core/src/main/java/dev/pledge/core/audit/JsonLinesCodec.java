package dev.pledge.core.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.core.Scope;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.time.Instant;
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
            instant(req(at, "at", where)), req(algorithm, "algorithm", where), req(keyId, "keyId", where),
            req(signature, "signature", where)));
      }
      if (seq == null) {
        throw bad(where, "no seq: not a chained audit record");
      }
      AuditRecord r = new AuditRecord(instant(req(at, "at", where)), actor, action, resource,
          AuditOutcome.valueOf(req(outcome, "outcome", where)),
          site == null && env == null ? null : scope(req(site, "site", where), req(env, "env", where)), details);
      return new Parsed(new ChainedRecord(seq, r, req(prev, "prev", where), req(hash, "hash", where)), null);
    } catch (java.time.DateTimeException e) {
      throw bad(where, "at is not an ISO-8601 instant");
    } catch (IllegalArgumentException | NullPointerException e) {
      throw bad(where, e.getMessage());
    }
  }

  private static final java.util.concurrent.ConcurrentHashMap<String, Scope> SCOPES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** The scope of a line; the few distinct scopes of a trail are validated once, not on every line. */
  static Scope scope(String site, String env) {
    String k = site + "\u0000" + env;
    Scope s = SCOPES.get(k);
    if (s == null) {
      s = Scope.of(site, env);
      if (SCOPES.size() < 4096) {
        SCOPES.put(k, s);
      }
    }
    return s;
  }

  /**
   * Parses an instant in the form {@link Instant#toString()} writes for years 0000-9999
   * ({@code 2026-11-01T06:30:00.123456Z}) without the general formatter, which dominates reading a
   * long trail; any other form goes to {@link Instant#parse}.
   */
  static Instant instant(String t) {
    int n = t.length();
    if (n < 20 || n > 30 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':'
        || t.charAt(16) != ':' || t.charAt(n - 1) != 'Z' || (n > 20 && t.charAt(19) != '.')) {
      return Instant.parse(t);
    }
    int year = digits(t, 0, 4);
    int month = digits(t, 5, 7);
    int day = digits(t, 8, 10);
    int hour = digits(t, 11, 13);
    int minute = digits(t, 14, 16);
    int second = digits(t, 17, 19);
    int nano = 0;
    if (n > 20) {
      int fd = n - 21;
      if (fd < 1 || fd > 9) {
        return Instant.parse(t);
      }
      nano = digits(t, 20, n - 1);
      for (int i = fd; i < 9; i++) {
        nano *= 10;
      }
    }
    if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
        || second > 59 || nano < 0) {
      return Instant.parse(t);
    }
    long days = java.time.LocalDate.of(year, month, day).toEpochDay(); // validates month and day
    return Instant.ofEpochSecond(days * 86_400L + hour * 3600L + minute * 60L + second, nano);
  }

  private static int digits(String t, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
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
