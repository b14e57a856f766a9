package dev.pledge.core.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pledge.core.PledgeException;
import dev.pledge.core.audit.AuditOutcome;
import dev.pledge.core.audit.AuditRecord;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.internal.Redaction;
import dev.pledge.core.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Exports everything a client owns (P40) into one ZIP archive: a JSON Lines file per data set and a
 * {@code manifest.json} with each file's record count and SHA-256, so the client can check that the
 * export is whole. Records stream from the {@link ClientDataSource} straight into the archive, in
 * bounded memory; the archive appears under its final name only once complete. Every export is
 * audited: the request ({@value #REQUESTED}), the outcome with the archive's SHA-256
 * ({@value #CREATED}) and, through {@link #verify(Path, String, String)}, the check against its
 * manifest ({@value #VERIFIED}); the compliance report judges P40 from these records. Thread-safe.
 */
public final class DataExporter {
  /** The audit action of a client's request for an export (P40). */
  public static final String REQUESTED = "export.requested";
  /** The audit action of an export made (or failed), with the archive's SHA-256 (P40). */
  public static final String CREATED = "export.created";
  /** The audit action of an export checked against its manifest, with the archive's SHA-256 (P40). */
  public static final String VERIFIED = "export.verified";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final ClientDataSource source;
  private final Clock clock;
  private final AuditTrail audit;
  private final ObjectMapper json = Json.mapper();

  /** An exporter of {@code source}'s data. */
  public DataExporter(ClientDataSource source, Clock clock, AuditTrail audit) {
    this.source = Objects.requireNonNull(source, "source");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.audit = Objects.requireNonNull(audit, "audit");
  }

  /**
   * Writes {@code client}'s data to {@code archive}.
   *
   * @param requestedBy who asked, for the audit trail
   * @throws PledgeException if the data cannot be read or the archive written; no partial archive is left
   */
  public ExportManifest export(String client, Path archive, String requestedBy) {
    requireSafe(client, "client");
    audit.record(new AuditRecord(clock.instant(), requestedBy, REQUESTED, client, AuditOutcome.SUCCESS, null,
        Map.of("archive", archive.getFileName().toString())));
    Path partial = archive.resolveSibling(archive.getFileName() + ".partial");
    List<ExportManifest.Dataset> datasets = new ArrayList<>();
    try {
      try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(partial))) {
        for (String name : source.datasets(client)) {
          requireSafe(name, "data set");
          String file = "data/" + name + ".jsonl";
          zip.putNextEntry(new ZipEntry(file));
          MessageDigest sha = sha256();
          OutputStream out = new DigestOutputStream(new NonClosing(zip), sha);
          long[] count = {0};
          IOException[] failure = {null};
          source.records(client, name, record -> {
            try {
              out.write(json.writeValueAsBytes(record));
              out.write('\n');
              count[0]++;
            } catch (IOException e) {
              failure[0] = e;
              throw new IllegalStateException(e);
            }
          });
          if (failure[0] != null) {
            throw failure[0];
          }
          zip.closeEntry();
          datasets.add(new ExportManifest.Dataset(name, file, count[0], HexFormat.of().formatHex(sha.digest())));
        }
        ExportManifest manifest = new ExportManifest(client, clock.instant(), datasets);
        zip.putNextEntry(new ZipEntry("manifest.json"));
        zip.write(json.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
        zip.closeEntry();
        zip.finish();
        Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        audit.record(new AuditRecord(clock.instant(), requestedBy, CREATED, client, AuditOutcome.SUCCESS,
            null, Map.of("datasets", String.valueOf(datasets.size()), "records", String.valueOf(manifest.records()),
                "archive", archive.getFileName().toString(), "sha256", sha256Of(archive))));
        return manifest;
      }
    } catch (Exception e) {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException ignored) {
        // the partial file is named .partial; nothing presents it as an export
      }
      audit.record(new AuditRecord(clock.instant(), requestedBy, CREATED, client, AuditOutcome.FAILURE,
          null, Map.of("archive", archive.getFileName().toString(),
              "error", Redaction.message(String.valueOf(e.getMessage())))));
      throw e instanceof PledgeException pe ? pe
          : new PledgeException("cannot export the data of client '" + client + "': "
              + Redaction.message(String.valueOf(e.getMessage())), e);
    }
  }

  /**
   * Checks an export against its manifest as {@link #verify(Path)} does, and records the outcome in the
   * audit trail ({@value #VERIFIED}, with the archive's SHA-256), so that the compliance report can
   * show that each export was complete when handed over (P40).
   *
   * @param archive the export
   * @param client the client it was made for
   * @param verifiedBy who checked it, for the audit trail
   * @return the manifest when the archive is whole
   * @throws PledgeException naming the first file that does not match; the failure is audited too
   */
  public ExportManifest verify(Path archive, String client, String verifiedBy) {
    requireSafe(client, "client");
    try {
      ExportManifest m = verify(archive);
      if (!m.client().equals(client)) {
        throw new PledgeException("export " + archive.getFileName() + " holds the data of client '" + m.client()
            + "', not '" + client + "'");
      }
      audit.record(new AuditRecord(clock.instant(), verifiedBy, VERIFIED, client, AuditOutcome.SUCCESS, null,
          Map.of("archive", archive.getFileName().toString(), "sha256", sha256Of(archive),
              "records", String.valueOf(m.records()))));
      return m;
    } catch (RuntimeException e) {
      audit.record(new AuditRecord(clock.instant(), verifiedBy, VERIFIED, client, AuditOutcome.FAILURE, null,
          Map.of("archive", archive.getFileName().toString(), "error", Redaction.message(String.valueOf(e.getMessage())))));
      throw e;
    }
  }

  /**
   * The SHA-256 of a whole file, in lower-case hex, as recorded for each export.
   *
   * @throws PledgeException when the file cannot be read
   */
  public static String sha256Of(Path file) {
    MessageDigest sha = sha256();
    try (java.io.InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[65536];
      for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
        sha.update(buf, 0, r);
      }
    } catch (IOException e) {
      throw new PledgeException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * Checks an export against its manifest: every file present, every count and SHA-256 right.
   *
   * @return the manifest when the archive is whole
   * @throws PledgeException naming the first file that does not match
   */
  public static ExportManifest verify(Path archive) {
    ObjectMapper json = Json.mapper();
    Map<String, String> hashes = new java.util.HashMap<>();
    Map<String, Long> lines = new java.util.HashMap<>();
    ExportManifest manifest = null;
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        if (e.getName().equals("manifest.json")) {
          manifest = json.readValue(zip.readAllBytes(), ExportManifest.class);
          continue;
        }
        MessageDigest sha = sha256();
        long n = 0;
        byte[] buf = new byte[8192];
        for (int r = zip.read(buf); r >= 0; r = zip.read(buf)) {
          sha.update(buf, 0, r);
          for (int i = 0; i < r; i++) {
            if (buf[i] == '\n') {
              n++;
            }
          }
        }
        hashes.put(e.getName(), HexFormat.of().formatHex(sha.digest()));
        lines.put(e.getName(), n);
      }
    } catch (IOException e) {
      throw new PledgeException("cannot read export " + archive + ": " + e.getMessage(), e);
    }
    if (manifest == null) {
      throw new PledgeException("export " + archive + " has no manifest.json");
    }
    for (ExportManifest.Dataset d : manifest.datasets()) {
      if (!d.sha256().equals(hashes.get(d.file())) || !Long.valueOf(d.records()).equals(lines.get(d.file()))) {
        throw new PledgeException("export " + archive + ": " + d.file() + " does not match its manifest");
      }
    }
    return manifest;
  }

  private static void requireSafe(String name, String what) {
    if (name == null || !SAFE.matcher(name).matches()) {
      throw new IllegalArgumentException(what + " must be 1-100 letters, digits, '.', '_' or '-', got '" + name + "'");
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lets a data set's stream be wrapped without closing the archive under it. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() {
      // the archive stays open for the next entry
    }
  }

}
