package dev.pledge.examples.quickstart;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.policy.HostingPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * backup: an encrypted backup of a folder to two local stores, listed, verified and restored. Swap
 * {@code FileStore} for {@code dev.pledge.backup.s3.S3Store.create(S3Location.parse("s3://bucket/prefix?region=eu-west-2"))}
 * and {@code DirectorySource} for {@code PostgresDatabase} to back up a database to S3.
 */
public final class BackupExample {
  private BackupExample() {}

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("pledge-backup-example");
    Path data = Files.createDirectories(work.resolve("data"));
    Files.writeString(data.resolve("orders.csv"), "id,total\n1,19.99\n2,5.00\n");

    LocalKeyWrapper key = LocalKeyWrapper.generate(work.resolve("master.key")); // or KmsKeyWrapper.create(...) from pledge-backup-s3
    BackupEngine engine = BackupEngine.builder(key)
        .hosting(Bundled.policy().require(HostingPolicy.class)) // refuses stores outside eu-west-2/eu-west-1
        .auditTrail(AuditTrail.jsonLines(work.resolve("audit.jsonl")))
        .actor("example")
        .build();
    List<FileStore> stores = List.of(FileStore.at(work.resolve("london")), FileStore.at(work.resolve("dublin")));
    Scope scope = Scope.of("shop", "production");

    BackupManifest m = engine.backup(DirectorySource.of(data), scope, stores);
    System.out.println("backup " + m.id() + ": " + m.plaintextBytes() + " bytes -> " + m.storedBytes() + " stored, "
        + m.encryption() + ", locations " + m.locations().size());
    System.out.println("listed: " + engine.list(stores.get(0), scope).stream().map(BackupManifest::id).toList());
    System.out.println("verify: " + engine.verify(stores.get(1), m.id()).ok());
    engine.restore(stores.get(1), m.id(), DirectoryTarget.of(work.resolve("restored")));
    System.out.println("restored: " + Files.readString(work.resolve("restored/orders.csv")).lines().count() + " lines");
  }
}
