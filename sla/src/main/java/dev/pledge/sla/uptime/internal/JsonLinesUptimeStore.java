package dev.pledge.sla.uptime.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.PledgeException;
import dev.pledge.core.SiteId;
import dev.pledge.core.internal.Json;
import dev.pledge.sla.uptime.SiteState;
import dev.pledge.sla.uptime.StateChange;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * {@link dev.pledge.sla.uptime.UptimeStore#jsonLines}: the history is read once when the store
 * opens and every change is appended as one line. Thread-safe within one process.
 */
public final class JsonLinesUptimeStore extends InMemoryUptimeStore {
  private final Path file;
  private final ObjectMapper mapper = Json.mapper();

  /** Opens (and reads) {@code file}; it is created on the first record. */
  public JsonLinesUptimeStore(Path file) {
    this.file = file;
    if (Files.exists(file)) {
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        int n = 0;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
          n++;
          if (line.isBlank()) {
            continue;
          }
          try {
            JsonNode j = mapper.readTree(line);
            super.record(new StateChange(SiteId.of(j.get("site").asText()), Instant.parse(j.get("at").asText()),
                SiteState.valueOf(j.get("to").asText()), j.path("reason").asText("")));
          } catch (IOException | RuntimeException e) {
            throw new PledgeException(file + ":" + n + ": not an uptime state change: " + e.getMessage());
          }
        }
      } catch (IOException e) {
        throw new PledgeException("cannot read the uptime history " + file + ": " + e.getMessage(), e);
      }
    }
  }

  @Override
  public synchronized void record(StateChange change) {
    ObjectNode o = mapper.createObjectNode().put("site", change.site().value()).put("at", change.at().toString())
        .put("to", change.to().name()).put("reason", change.reason());
    try {
      Files.writeString(file, mapper.writer().without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT)
              .writeValueAsString(o) + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new PledgeException("cannot append to the uptime history " + file + ": " + e.getMessage(), e);
    }
    super.record(change);
  }
}
