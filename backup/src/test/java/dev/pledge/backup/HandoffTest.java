package dev.pledge.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HandoffTest {

  @Test
  void everyByteArrivesInOrderWhateverTheWriteSizes() throws IOException {
    byte[] data = new byte[(3 * Handoff.CHUNK) + 12345];
    new Random(3).nextBytes(data);
    ByteArrayOutputStream down = new ByteArrayOutputStream();
    Random sizes = new Random(4);
    try (Handoff h = Handoff.start(down, "handoff-order")) {
      int off = 0;
      while (off < data.length) {
        if (sizes.nextInt(10) == 0) {
          h.write(data[off++]);
          continue;
        }
        int n = Math.min(data.length - off, sizes.nextInt(3 * Handoff.CHUNK / 2));
        h.write(data, off, n);
        off += n;
      }
      h.finish();
    }
    assertThat(down.toByteArray()).isEqualTo(data);
  }

  @Test
  void aDownstreamFailureReachesTheWriterWithItsMessage() {
    OutputStream failing = new OutputStream() {
      private int writes;
      @Override public void write(int b) {}
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (++writes == 2) {
          throw new IOException("disk full under /var/backups");
        }
      }
    };
    byte[] chunk = new byte[Handoff.CHUNK];
    assertThatThrownBy(() -> {
      try (Handoff h = Handoff.start(failing, "handoff-failing")) {
        for (int i = 0; i < 64; i++) {
          h.write(chunk);
        }
        h.finish();
      }
    }).isInstanceOf(IOException.class).hasMessage("disk full under /var/backups");
    assertThat(threadAlive("handoff-failing")).isFalse();
  }

  @Test
  void closingWithoutFinishingStopsTheWriterThread() throws IOException {
    ByteArrayOutputStream down = new ByteArrayOutputStream();
    Handoff h = Handoff.start(down, "handoff-abandoned");
    h.write(new byte[Handoff.CHUNK + 1]); // the source then fails: the engine closes without finish()
    h.close();
    assertThat(threadAlive("handoff-abandoned")).isFalse();
    assertThat(down.size()).as("the handed chunk is written or dropped whole, the unhanded byte never").isIn(0, Handoff.CHUNK);
  }

  private static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}
