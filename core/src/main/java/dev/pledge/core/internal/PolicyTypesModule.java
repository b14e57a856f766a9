package dev.pledge.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.pledge.core.Percentage;
import dev.pledge.core.policy.AllowZero;
import dev.pledge.core.time.Durations;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Period;

/**
 * Jackson bindings for the value types of a policy document: durations as people write them,
 * calendar periods and percentages. Strict: a number where a duration is expected is an error
 * (a duration needs a unit), and so is a zero duration unless the field is {@link AllowZero}.
 */
public final class PolicyTypesModule extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the module.
   *
   * @param humanOutput whether durations and periods are written as {@code 2h} and {@code 3 months}
   *     (for a policy document a person reads) rather than ISO-8601
   */
  public PolicyTypesModule(boolean humanOutput) {
    super("pledge-policy-types");
    addDeserializer(Duration.class, new DurationDeserializer(false));
    addDeserializer(Period.class, new PeriodDeserializer());
    addDeserializer(Percentage.class, new PercentageDeserializer());
    if (humanOutput) {
      addSerializer(Duration.class, new StdSerializer<>(Duration.class) {
        private static final long serialVersionUID = 1L;

        @Override
        public void serialize(Duration value, JsonGenerator gen, SerializerProvider provider) throws IOException {
          gen.writeString(Durations.format(value));
        }
      });
      addSerializer(Period.class, new StdSerializer<>(Period.class) {
        private static final long serialVersionUID = 1L;

        @Override
        public void serialize(Period value, JsonGenerator gen, SerializerProvider provider) throws IOException {
          gen.writeString(Durations.formatPeriod(value));
        }
      });
    }
  }

  static final class DurationDeserializer extends JsonDeserializer<Duration> implements ContextualDeserializer {
    private final boolean allowZero;

    DurationDeserializer(boolean allowZero) {
      this.allowZero = allowZero;
    }

    @Override
    public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property) {
      boolean zero = property != null && property.getAnnotation(AllowZero.class) != null;
      return zero == allowZero ? this : new DurationDeserializer(zero);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        throw JsonMappingException.from(p, "a duration needs a unit: write '" + p.getText() + "m', '"
            + p.getText() + " hours', '" + p.getText() + "d' or ISO-8601 such as PT2H");
      }
      if (t != JsonToken.VALUE_STRING) {
        throw JsonMappingException.from(p, "expected a duration such as 5m, 6 hours or PT2H, got " + describe(t));
      }
      String text = p.getText();
      try {
        return allowZero ? Durations.parse(text) : Durations.parsePositive(text);
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage());
      }
    }
  }

  static final class PeriodDeserializer extends JsonDeserializer<Period> {
    @Override
    public Period deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      if (t != JsonToken.VALUE_STRING) {
        throw JsonMappingException.from(p, "expected a calendar period such as 3 months, 1 year or P3M, got "
            + describe(t) + (t.isNumeric() ? " (a period needs a unit)" : ""));
      }
      try {
        return Durations.parsePeriod(p.getText());
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage());
      }
    }
  }

  static final class PercentageDeserializer extends JsonDeserializer<Percentage> {
    @Override
    public Percentage deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonToken t = p.currentToken();
      try {
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          return new Percentage(new BigDecimal(p.getText()));
        }
        if (t == JsonToken.VALUE_STRING) {
          return Percentage.parse(p.getText());
        }
      } catch (IllegalArgumentException e) {
        throw JsonMappingException.from(p, e.getMessage());
      }
      throw JsonMappingException.from(p, "expected a percentage such as 99.9%, got " + describe(t));
    }
  }

  static String describe(JsonToken t) {
    if (t == null) {
      return "nothing";
    }
    return switch (t) {
      case START_OBJECT -> "a mapping";
      case START_ARRAY -> "a list";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "an empty value";
      case VALUE_STRING -> "text";
      default -> t.name();
    };
  }
}
