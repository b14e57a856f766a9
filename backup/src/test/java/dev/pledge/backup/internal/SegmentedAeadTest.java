package dev.pledge.backup.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.StreamingAead;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SegmentedAeadTest {
  private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
  private static final byte[] AAD = "pledge-backup/v1/shop/production/x".getBytes(StandardCharsets.UTF_8);
  private static final int SEGMENT = 1 << 20;
  private static final int FIRST = SEGMENT - 16 - 40; // plaintext of the first segment, beside the header

  private final DataKey key = DataKey.generate();

  @AfterAll
  static void stop() {
    POOL.shutdownNow();
  }

  private static byte[] plaintext(int size) {
    byte[] b = new byte[size];
    new Random(size).nextBytes(b);
    return b;
  }

  private byte[] seal(byte[] plain, int writeSize) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = SegmentedAead.of(key.serialize()).newEncryptingStream(out, AAD, POOL, 3)) {
      for (int i = 0; i < plain.length; i += writeSize) {
        enc.write(plain, i, Math.min(writeSize, plain.length - i));
      }
    }
    return out.toByteArray();
  }

  private byte[] open(byte[] sealed) throws Exception {
    try (InputStream in = SegmentedAead.of(key.serialize()).newDecryptingStream(new ByteArrayInputStream(sealed), AAD, POOL, 3)) {
      return in.readAllBytes();
    }
  }

  private byte[] tinkSeal(byte[] plain) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream enc = key.streamingAead().newEncryptingStream(out, AAD)) {
      enc.write(plain);
    }
    return out.toByteArray();
  }

  private byte[] tinkOpen(byte[] sealed) throws Exception {
    StreamingAead aead = key.streamingAead();
    try (InputStream in = aead.newDecryptingStream(new ByteArrayInputStream(sealed), AAD)) {
      return in.readAllBytes();
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {0, 1, FIRST - 1, FIRST, FIRST + 1, FIRST + SEGMENT - 16, 3 * SEGMENT + 12345})
  void whatItSealsTinkOpensAndWhatTinkSealsItOpens(int size) throws Exception {
    byte[] plain = plaintext(size);
    byte[] ours = seal(plain, 65_536 + 7);
    assertThat(tinkOpen(ours)).isEqualTo(plain);
    assertThat(open(ours)).isEqualTo(plain);
    byte[] theirs = tinkSeal(plain);
    assertThat(ours.length).isEqualTo(theirs.length);
    assertThat(open(theirs)).isEqualTo(plain);
  }

  @Test
  void aFlippedByteInAnySegmentFailsAuthenticationAndReleasesNothingOfThatSegment() throws Exception {
    byte[] plain = plaintext(2 * SEGMENT + 100);
    byte[] sealed = seal(plain, 8192);
    for (int at : new int[] {41, SEGMENT + 5, sealed.length - 1}) {
      byte[] bad = sealed.clone();
      bad[at] ^= 1;
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      assertThatThrownBy(() -> {
        try (InputStream in = SegmentedAead.of(key.serialize()).newDecryptingStream(new ByteArrayInputStream(bad), AAD, POOL, 3)) {
          in.transferTo(got);
        }
      }).isInstanceOf(IOException.class).hasCauseInstanceOf(GeneralSecurityException.class);
      // only whole segments before the altered one came out
      assertThat(got.size() == 0 || got.size() == FIRST || got.size() == FIRST + SEGMENT - 16).isTrue();
    }
  }

  @Test
  void aStreamCutAtASegmentBoundaryOrExtendedOrReorderedFails() throws Exception {
    byte[] plain = plaintext(3 * SEGMENT);
    byte[] sealed = seal(plain, SEGMENT);
    byte[] cut = Arrays.copyOf(sealed, SEGMENT * 2);
    assertThatThrownBy(() -> open(cut)).isInstanceOf(IOException.class);
    byte[] longer = Arrays.copyOf(sealed, sealed.length + 1);
    assertThatThrownBy(() -> open(longer)).isInstanceOf(IOException.class);
    byte[] swapped = sealed.clone();
    System.arraycopy(sealed, SEGMENT, swapped, 2 * SEGMENT, SEGMENT);
    System.arraycopy(sealed, 2 * SEGMENT, swapped, SEGMENT, SEGMENT);
    assertThatThrownBy(() -> open(swapped)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> open(Arrays.copyOf(sealed, 30))).isInstanceOf(IOException.class);
  }

  @Test
  void otherAssociatedDataOrAnotherKeyFails() throws Exception {
    byte[] sealed = seal(plaintext(5000), 100);
    try (InputStream in = SegmentedAead.of(key.serialize()).newDecryptingStream(new ByteArrayInputStream(sealed),
        "other".getBytes(StandardCharsets.UTF_8), POOL, 2)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
    }
    try (InputStream in = SegmentedAead.of(DataKey.generate().serialize()).newDecryptingStream(new ByteArrayInputStream(sealed), AAD, POOL, 2)) {
      assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class);
    }
  }
}
