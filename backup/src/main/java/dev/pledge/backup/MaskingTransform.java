package dev.pledge.backup;

import java.io.IOException;
import java.io.InputStream;

/**
 * Replaces production data by test data while a production backup is restored into another
 * environment (P27): the engine refuses such a restore unless one is supplied. A transform sees the
 * verified plaintext and returns the stream the target receives, in the source's own format.
 */
public interface MaskingTransform {

  /** A short name for the audit trail, such as {@code anonymise-customers}. */
  String name();

  /** The masked stream to restore instead of {@code plaintext}; must read {@code plaintext} to its end. */
  InputStream mask(InputStream plaintext) throws IOException;
}
