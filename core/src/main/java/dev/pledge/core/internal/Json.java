package dev.pledge.core.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The Jackson mappers Pledge uses. Internal: modules may use them, host applications should not.
 */
public final class Json {
  private static final ObjectMapper MAPPER = configure(JsonMapper.builder().build(), false);

  private Json() {}

  /**
   * A shared mapper for Pledge's own JSON (manifests, audit lines, reports): java.time as ISO-8601
   * strings, durations as {@code PT2H}, lenient about nothing. Thread-safe; do not reconfigure it.
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * A new strict mapper for reading a policy document from {@code factory} (JSON or YAML): unknown
   * keys, duplicate keys, explicit nulls, scalar coercions and trailing content are errors.
   */
  public static ObjectMapper strictPolicyMapper(JsonFactory factory) {
    factory.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
    ObjectMapper m = new ObjectMapper(factory);
    m.registerModule(new JavaTimeModule());
    m.registerModule(new PolicyTypesModule(false));
    m.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    m.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    m.enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
    m.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    m.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    m.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    m.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    m.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    m.coercionConfigDefaults()
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Float).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    m.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    return m;
  }

  /** A new mapper that writes an effective policy as YAML a person reads: {@code 2h}, {@code 3 months}. */
  public static ObjectMapper policyWriter() {
    YAMLFactory yaml = YAMLFactory.builder()
        .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
        // A string such as "502" must come back as a string when the effective policy is read again.
        .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
        .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
        .build();
    ObjectMapper m = new ObjectMapper(yaml);
    m.registerModule(new JavaTimeModule());
    m.registerModule(new PolicyTypesModule(true));
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return m;
  }

  private static ObjectMapper configure(ObjectMapper m, boolean human) {
    m.registerModule(new JavaTimeModule());
    if (human) {
      m.registerModule(new PolicyTypesModule(true));
    }
    m.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    m.disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);
    m.disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    m.setSerializationInclusion(JsonInclude.Include.NON_NULL);
    return m;
  }
}
