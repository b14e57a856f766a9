package dev.pledge.core.audit;

import dev.pledge.core.PledgeException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** {@link CheckpointPublisher#toFolder}: one JSON Lines file of checkpoints. Thread-safe. */
final class FolderCheckpointPublisher implements CheckpointPublisher {
  private final Path folder;
  private final Path file;

  FolderCheckpointPublisher(Path folder) {
    this.folder = Objects.requireNonNull(folder, "folder");
    this.file = folder.resolve("checkpoints.jsonl");
  }

  @Override
  public synchronized void publish(AuditCheckpoint checkpoint) {
    byte[] line = (JsonLinesCodec.checkpointLine(checkpoint) + "\n").getBytes(StandardCharsets.UTF_8);
    try {
      Files.createDirectories(folder);
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        long pos = ch.size();
        if (pos > 0) {
          ByteBuffer last = ByteBuffer.allocate(1);
          ch.read(last, pos - 1);
          if (last.get(0) != '\n') {
            ch.truncate(pos = lastNewline(ch, pos)); // a torn checkpoint line from a crash is dropped
          }
        }
        ByteBuffer buf = ByteBuffer.wrap(line);
        try {
          while (buf.hasRemaining()) {
            pos += ch.write(buf, pos);
          }
          ch.force(false);
        } catch (IOException e) {
          ch.truncate(pos - buf.position());
          throw e;
        }
      }
    } catch (IOException e) {
      throw new PledgeException("cannot publish audit checkpoint to " + file + ": " + e.getMessage(), e);
    }
  }

  private static long lastNewline(FileChannel ch, long end) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(1);
    for (long p = end - 1; p >= 0; p--) {
      b.clear();
      ch.read(b, p);
      if (b.get(0) == '\n') {
        return p + 1;
      }
    }
    return 0;
  }

  @Override
  public Stream<AuditCheckpoint> published() {
    if (!Files.exists(file)) {
      return Stream.empty();
    }
    BufferedReader r;
    try {
      r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new PledgeException("cannot read audit checkpoints " + file + ": " + e.getMessage(), e);
    }
    AtomicLong n = new AtomicLong();
    return r.lines().map(line -> {
      long no = n.incrementAndGet();
      if (line.isBlank()) {
        return null;
      }
      try {
        return JsonLinesCodec.parse(line, file + ":" + no).checkpoint();
      } catch (AuditFormatException e) {
        return null; // a damaged published checkpoint counts as a missing one
      }
    }).filter(Objects::nonNull).onClose(() -> {
      try {
        r.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  @Override
  public String describe() {
    return "file:" + file;
  }
}
