package dev.pledge.security.access;

import java.nio.file.Path;
import java.time.Instant;

/**
 * One of several processes racing on a folder store, for {@link FolderStoreProcessesTest}: enrols
 * {@code COUNT} accounts of its own and tries to end every grant {@code g0..g(COUNT-1)}, printing the
 * ids it ended.
 */
public final class RacingProcess {
  private RacingProcess() {}

  /** {@code DIR NAME COUNT}. */
  public static void main(String[] args) {
    AccessStore store = AccessStore.folder(Path.of(args[0]));
    int count = Integer.parseInt(args[2]);
    Instant at = Instant.parse("2026-11-02T10:00:00Z");
    StringBuilder ended = new StringBuilder();
    for (int i = 0; i < count; i++) {
      store.addPerson(Person.employee(args[1] + "-" + i, "P " + i), at);
      if (store.endGrant("g" + i, GrantStatus.REVOKED, at, args[1], args[1])) {
        ended.append("g").append(i).append('\n');
      }
    }
    System.out.print(ended);
  }
}
