package dev.pledge.core.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.core.PledgeException;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An {@link AuditTrail} appended to a JSON Lines file, one record a line, each forced to disk before
 * {@link #record} returns. Thread-safe within one JVM.
 */
final class JsonLinesAuditTrail implements AuditTrail {
  private final Path file;
  private final ObjectMapper mapper = Json.mapper();

  JsonLinesAuditTrail(Path file) {
    this.file = Objects.requireNonNull(file, "file");
  }

  @Override
  public synchronized void record(AuditRecord record) {
    Objects.requireNonNull(record, "record");
    try {
      byte[] line = (mapper.writeValueAsString(record) + "\n").getBytes(StandardCharsets.UTF_8);
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        ByteBuffer buf = ByteBuffer.wrap(line);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(false);
      }
    } catch (IOException e) {
      throw new PledgeException("cannot append to audit trail " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public synchronized List<AuditRecord> records() {
    if (!Files.exists(file)) {
      return List.of();
    }
    List<AuditRecord> out = new ArrayList<>();
    try {
      int lineNo = 0;
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        try {
          out.add(mapper.readValue(line, AuditRecord.class));
        } catch (JsonProcessingException e) {
          throw new PledgeException(file + ":" + lineNo + ": not an audit record: " + e.getOriginalMessage());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  @Override
  public String toString() {
    return "JsonLinesAuditTrail[" + file + "]";
  }
}
