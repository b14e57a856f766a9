package dev.pledge.backup.s3;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.backup.store.S3Location;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.BackupSource;
import dev.pledge.core.Scope;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The child JVM of the kill test: backs up 4 GiB of incompressible bytes to the S3 location in
 * {@code args[0]} with the master key in {@code args[1]}, so that it is still uploading when killed.
 */
public final class EndlessBackupMain {
  private EndlessBackupMain() {}

  public static void main(String[] args) {
    S3Store store = S3Store.create(S3Location.parse(args[0]));
    BackupEngine engine = BackupEngine.builder(LocalKeyWrapper.load(Path.of(args[1]))).auditTrail(AuditTrail.inMemory()).build();
    BackupSource endless = new BackupSource() {
      @Override public String kind() { return "bytes"; }
      @Override public String description() { return "bytes:endless"; }
      @Override
      public void writeTo(OutputStream out) throws IOException {
        byte[] chunk = new byte[1 << 20];
        Random r = new Random(7);
        for (int i = 0; i < 4096; i++) {
          r.nextBytes(chunk);
          out.write(chunk);
        }
      }
    };
    System.out.println("backing up");
    engine.backup(endless, Scope.of("shop", "production"), List.of(store));
    System.out.println("finished"); // the test kills the process long before this
  }
}
