package dev.pledge.core.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Reads a policy document for {@link PolicyLoader} and keeps what good error messages need.
 *
 * <ul>
 *   <li>Rejects explicit empty values ({@code every:} with nothing after it, or {@code null}), so
 *       that "present but empty" is an error while "absent" still means "use the default" (Jackson's
 *       {@code Nulls.FAIL} cannot tell the two apart for constructor properties).
 *   <li>Remembers where the most recently closed mapping started, so that an error found when a
 *       whole mapping has been read (a missing key, a constructor's check) points at that mapping
 *       rather than at whatever follows it.
 * </ul>
 */
final class NullRejectingParser extends JsonParserDelegate {
  private final Deque<JsonLocation> openObjects = new ArrayDeque<>();
  private final Deque<java.util.LinkedHashMap<String, JsonLocation>> openKeys = new ArrayDeque<>();
  private JsonLocation lastClosedObject;
  private String lastFieldName;
  private java.util.Map<String, JsonLocation> lastClosedKeys = java.util.Map.of();
  private final java.util.Map<String, JsonLocation> locations = new java.util.HashMap<>();

  NullRejectingParser(JsonParser d) {
    super(d);
  }

  @Override
  public JsonToken nextToken() throws IOException {
    return track(super.nextToken());
  }

  @Override
  public JsonToken nextValue() throws IOException {
    return track(super.nextValue());
  }

  // Every shortcut of JsonParser goes through nextToken(), so that no empty value slips past.

  @Override
  public String nextFieldName() throws IOException {
    return nextToken() == JsonToken.FIELD_NAME ? currentName() : null;
  }

  @Override
  public boolean nextFieldName(SerializableString str) throws IOException {
    return nextToken() == JsonToken.FIELD_NAME && str.getValue().equals(currentName());
  }

  @Override
  public String nextTextValue() throws IOException {
    return nextToken() == JsonToken.VALUE_STRING ? getText() : null;
  }

  @Override
  public int nextIntValue(int defaultValue) throws IOException {
    return nextToken() == JsonToken.VALUE_NUMBER_INT ? getIntValue() : defaultValue;
  }

  @Override
  public long nextLongValue(long defaultValue) throws IOException {
    return nextToken() == JsonToken.VALUE_NUMBER_INT ? getLongValue() : defaultValue;
  }

  @Override
  public Boolean nextBooleanValue() throws IOException {
    JsonToken t = nextToken();
    return t == JsonToken.VALUE_TRUE ? Boolean.TRUE : t == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
  }

  /** The keys of the mapping that was closed last, in document order. */
  List<String> lastClosedKeys() {
    return List.copyOf(lastClosedKeys.keySet());
  }

  /** Where {@code key} stood in the mapping that was closed last, or {@code null}. */
  JsonLocation lastClosedKeyLocation(String key) {
    return lastClosedKeys.get(key);
  }

  /**
   * Where each key path read so far stood ({@code alerts.routing[0].tier}), and each list item
   * ({@code alerts.routing[0]}): the first occurrence of each path.
   */
  java.util.Map<String, JsonLocation> locations() {
    return java.util.Collections.unmodifiableMap(locations);
  }

  /** Where the mapping that was closed last began, or {@code null}. */
  JsonLocation lastClosedObject() {
    return lastClosedObject;
  }

  private JsonToken track(JsonToken t) throws IOException {
    if (t == JsonToken.VALUE_NULL) {
      throw new NullValueException(this, getParsingContext() != null && getParsingContext().inObject()
          ? lastFieldName : null);
    }
    if (t == JsonToken.FIELD_NAME) {
      lastFieldName = currentName();
      locations.putIfAbsent(PolicyLoader.parserPath(this), currentTokenLocation());
    } else if (t != null && t != JsonToken.END_OBJECT && t != JsonToken.END_ARRAY) {
      com.fasterxml.jackson.core.JsonStreamContext c = getParsingContext();
      if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
        c = c == null ? null : c.getParent();
      }
      if (c != null && c.inArray()) {
        locations.putIfAbsent(PolicyLoader.parserPath(this), currentTokenLocation());
      }
    }
    if (t == JsonToken.START_OBJECT) {
      openObjects.push(currentTokenLocation());
      openKeys.push(new java.util.LinkedHashMap<>());
    } else if (t == JsonToken.FIELD_NAME && !openKeys.isEmpty()) {
      openKeys.peek().putIfAbsent(currentName(), currentTokenLocation());
    } else if (t == JsonToken.END_OBJECT && !openObjects.isEmpty()) {
      lastClosedObject = openObjects.pop();
      lastClosedKeys = openKeys.pop();
    }
    return t;
  }

  /** An explicit empty value was read. */
  static final class NullValueException extends JsonParseException {
    private static final long serialVersionUID = 1L;
    private final String name;

    NullValueException(JsonParser p, String name) {
      super(p, "a value is required here (the key is present but empty)");
      this.name = name;
    }

    /** The key whose value was empty, when known. */
    String name() {
      return name;
    }
  }
}
