package dev.pledge.examples.tour;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.BackupRefusedException;
import dev.pledge.backup.MaskingTransform;
import dev.pledge.backup.VerificationResult;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.FileStore;
import dev.pledge.backup.store.S3Location;
import dev.pledge.backup.s3.S3Store;
import dev.pledge.core.Environment;
import dev.pledge.core.Scope;
import dev.pledge.core.policy.HostingPolicy;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A sample folder backed up through the real pipeline (zstd, then Tink's streaming AEAD under a
 * fresh data key wrapped by a local master key) to two local stores standing in for the policy's S3
 * locations; altered, restored byte-identical; an altered stored byte caught by verify; residency and
 * the production-data guard refusing what they must (P1, P8, P10, P27).
 */
final class BackupStep implements TourStep {

  @Override
  public List<Integer> promises() {
    return List.of(1, 8, 10, 27);
  }

  @Override
  public String tag() {
    return "backup";
  }

  @Override
  public void run(TourContext ctx) throws Exception {
    BackupPolicy policy = ctx.policy().section(BackupPolicy.class).orElse(BackupPolicy.defaults());
    HostingPolicy hosting = ctx.policy().section(HostingPolicy.class).orElse(HostingPolicy.defaults());
    Path root = ctx.dir().resolve("backup");
    Path sample = root.resolve("sample");
    writeSample(sample);
    Map<String, String> before = digest(sample);
    long bytes = Files.walk(sample).filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();

    LocalKeyWrapper key = LocalKeyWrapper.generate(root.resolve("master.key"));
    List<FileStore> stores = List.of(FileStore.at(root.resolve("store-london")), FileStore.at(root.resolve("store-dublin")));
    BackupEngine engine = BackupEngine.builder(key).clock(ctx.clock()).auditTrail(ctx.audit()).actor("tour")
        .hosting(hosting).compressionLevel(policy.compressionLevel()).build();
    Scope shop = Scope.of("shop", "production");
    BackupManifest m = engine.backup(DirectorySource.of(sample), shop, stores);
    ctx.say(tag(), "sample folder (" + before.size() + " files, " + bytes / 1024 + " KiB) backed up as " + m.id()
        + ": " + m.compression() + " then " + m.encryption() + " under a fresh data key wrapped by the master key "
        + m.keyId() + "; " + m.locations().size() + " locations, each verified: "
        + stores.stream().allMatch(s -> engine.verify(s, m.id()).ok()) + " (P8, P10)");

    // Alter the folder, then restore the backup into a fresh folder and compare every file.
    Files.writeString(sample.resolve("orders/2026-11.csv"), "id,total\n1,0.00\n", StandardCharsets.UTF_8);
    Files.delete(sample.resolve("customers.csv"));
    boolean altered = !digest(sample).equals(before);
    Path restored = root.resolve("restored");
    engine.restore(stores.get(1), m.id(), DirectoryTarget.of(restored));
    boolean identical = digest(restored).equals(before);

    // Flip one byte of the stored object in one location: verify must catch it there only.
    Path data = stores.get(0).root().resolve(m.dataObject());
    try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x5a);
    }
    VerificationResult tampered = engine.verify(stores.get(0), m.id());
    VerificationResult other = engine.verify(stores.get(1), m.id());
    ctx.say(tag(), "folder altered (" + (altered ? "1 file changed, 1 deleted" : "NOT altered") + "), restored from "
        + stores.get(1).location().replace(ctx.dir().toString(), "<dir>") + " byte-identical: " + identical
        + "; a flipped byte in the London copy caught by verify: " + !tampered.ok() + ", the Dublin copy still sound: " + other.ok());

    // P1: a location outside the allowed regions is refused before a byte is sent (no connection is made).
    String refusedRegion = "?";
    boolean residencyHeld;
    try (S3Store us = S3Store.create(S3Location.parse("s3://zaltek-backups-virginia/pledge?region=us-east-1&endpoint=http://127.0.0.1:9"))) {
      engine.backup(DirectorySource.of(sample), shop, List.<BackupStore>of(stores.get(1), us));
      residencyHeld = false;
    } catch (BackupRefusedException e) {
      refusedRegion = "us-east-1";
      residencyHeld = true;
    }
    List<String> configuredRegions = policy.locations().stream().filter(l -> l.startsWith("s3:"))
        .map(l -> S3Location.parse(l).region()).toList();
    boolean configuredResident = !configuredRegions.isEmpty() && configuredRegions.stream().allMatch(hosting::allows);

    // P27: a production backup into staging is refused unless masked. Inside the hour the report
    // judges, which reads these restores from the audit trail.
    ctx.clock().set(ctx.start().minus(Duration.ofMinutes(30)));
    boolean unmaskedRefused;
    try {
      engine.restore(stores.get(1), m.id(), DirectoryTarget.of(root.resolve("staging")), Environment.STAGING, null);
      unmaskedRefused = false;
    } catch (BackupRefusedException e) {
      unmaskedRefused = true;
    }
    // A masking transform that replaces every customer e-mail domain (same length, so the archive stays valid).
    MaskingTransform maskEmails = new MaskingTransform() {
      @Override
      public String name() {
        return "mask-customer-emails";
      }

      @Override
      public InputStream mask(InputStream plaintext) throws IOException {
        return new ByteArrayInputStream(new String(plaintext.readAllBytes(), StandardCharsets.ISO_8859_1)
            .replace("@example.com", "@masked.test").getBytes(StandardCharsets.ISO_8859_1));
      }
    };
    Path staging = root.resolve("staging");
    engine.restore(stores.get(1), m.id(), DirectoryTarget.of(staging), Environment.STAGING, maskEmails);
    String stagingCustomers = Files.readString(staging.resolve("customers.csv"));
    boolean masked = !stagingCustomers.contains("@example.com") && stagingCustomers.contains("@masked.test");
    ctx.say(tag(), "a copy to " + refusedRegion + " refused before any byte was sent: " + residencyHeld
        + "; production backup into staging refused without masking: " + unmaskedRefused
        + ", restored through a masking transform with every customer e-mail masked: " + masked + " (P1, P27)");

    List<String> s3 = policy.locations().stream().filter(l -> l.startsWith("s3:")).toList();
    boolean p8 = identical && !tampered.ok() && !s3.isEmpty();
    ctx.report().judged(8, p8, "backups are zstd-compressed, then encrypted with " + m.encryption()
            + " under a per-backup data key; the policy's locations are S3 buckets",
        s3.isEmpty() ? "the policy names no S3 location" : "the restore or the tamper check failed",
        TourContext.evidence("encryption", m.encryption(), "key", m.keyId() + " (local master key wrapping a per-backup data key)",
            "restored byte-identical", String.valueOf(identical), "altered copy caught by verify", tampered.problem(),
            "policy locations", String.join(", ", policy.locations()),
            "this run", "two local file stores stand in for the S3 buckets (the tour uses no network); S3 is exercised by the test suite against an S3 API server"));
    boolean p10 = m.locations().size() >= policy.minimumLocations() && other.ok()
        && policy.locations().size() >= policy.minimumLocations()
        && Boolean.TRUE.equals(policy.posture().publicAccessBlocked());
    ctx.report().judged(10, p10, "every backup is written to " + m.locations().size()
            + " locations and verified in each; the policy requires public access blocked on every bucket",
        "fewer locations than the policy's minimum, or public access is not required to be blocked",
        TourContext.evidence("locations written", String.valueOf(m.locations().size()), "minimum", String.valueOf(policy.minimumLocations()),
            "required posture", "public access blocked " + policy.posture().publicAccessBlocked() + ", default encryption "
                + policy.posture().defaultEncryption() + ", versioning " + policy.posture().versioning()
                + ", lifecycle rule " + policy.posture().lifecycleRule(),
            "posture check", "S3Store.posture() reads each bucket's settings (tested against an S3 API server)"));
    ctx.report().judged(1, residencyHeld && configuredResident, "backups only go to " + hosting.regions()
            + "; a store in us-east-1 was refused before any byte was sent",
        "a store outside " + hosting.regions() + " was accepted or is configured",
        TourContext.evidence("allowed regions", String.join(", ", hosting.regions()), "configured store regions", String.join(", ", configuredRegions),
            "us-east-1 store", residencyHeld ? "refused" : "ACCEPTED",
            "across availability zones", String.valueOf(hosting.replicateAcrossZones())));
    ctx.report().judged(27, unmaskedRefused && masked && policy.maskProductionRestores(),
        "a production backup cannot reach staging or development unmasked; the refusal is audited",
        "a production backup was restored into staging unmasked",
        TourContext.evidence("unmasked restore into staging", unmaskedRefused ? "refused (audited)" : "ALLOWED",
            "masked restore", masked ? "customer e-mails replaced by mask-customer-emails" : "NOT masked"));
  }

  private static void writeSample(Path sample) throws IOException {
    Files.createDirectories(sample.resolve("orders"));
    StringBuilder customers = new StringBuilder("id,name,email\n");
    for (int i = 1; i <= 400; i++) {
      customers.append(i).append(",Customer ").append(i).append(",c").append(i).append("@example.com\n");
    }
    Files.writeString(sample.resolve("customers.csv"), customers, StandardCharsets.UTF_8);
    for (int month = 9; month <= 11; month++) {
      StringBuilder orders = new StringBuilder("id,customer,total\n");
      for (int i = 1; i <= 1500; i++) {
        orders.append(month * 10_000 + i).append(',').append(i % 400 + 1).append(',').append((i * 7919 % 100_000) / 100.0).append('\n');
      }
      Files.writeString(sample.resolve(String.format("orders/2026-%02d.csv", month)), orders, StandardCharsets.UTF_8);
    }
    Files.writeString(sample.resolve("README.txt"), "Sample data for the Pledge tour.\n", StandardCharsets.UTF_8);
  }

  /** Relative path to SHA-256 of every regular file under {@code dir}. */
  static Map<String, String> digest(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        try {
          MessageDigest sha = MessageDigest.getInstance("SHA-256");
          out.put(dir.relativize(p).toString(), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
        } catch (java.security.NoSuchAlgorithmException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return out;
  }
}
