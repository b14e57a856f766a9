package dev.pledge.backup.s3;

import dev.pledge.core.audit.AuditTrail;
import dev.pledge.backup.crypto.KeyWrapper;
import dev.pledge.backup.crypto.LocalKeyWrapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupIntegrityException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.source.DirectorySource;
import dev.pledge.backup.source.DirectoryTarget;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.internal.Json;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/** KmsKeyWrapper against a local HTTP server speaking KMS's JSON 1.1 protocol (P8). */
class KmsKeyWrapperTest {
  private static final Scope SHOP_PROD = Scope.of("shop", "production");

  @TempDir Path tmp;
  private FakeKms kms;
  private KmsClient client;
  private FileStore store;
  private Path site;

  @BeforeEach
  void setUp() throws IOException {
    kms = FakeKms.start();
    kms.createKey("pledge-backups");
    kms.createKey("other");
    client = KmsClient.builder().region(Region.EU_WEST_2).endpointOverride(kms.endpoint())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "not-a-secret")))
        .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    store = FileStore.at(tmp.resolve("store"));
    site = Files.createDirectories(tmp.resolve("site"));
    Files.writeString(site.resolve("orders.csv"), "id,total\n1,42.00\n2,17.50\n");
  }

  @AfterEach
  void tearDown() {
    client.close();
    kms.close();
  }

  private BackupEngine engine(String alias) {
    return BackupEngine.builder(KmsKeyWrapper.create(client, "alias/" + alias))
        .clock(MutableClock.at(Instant.parse("2026-11-01T06:30:00Z"))).auditTrail(AuditTrail.inMemory()).build();
  }

  @Test
  void aBackupWrapsItsDataKeyWithKmsEncryptBoundToTheBackupAndRestoresThroughDecrypt() throws IOException {
    BackupEngine engine = engine("pledge-backups");

    BackupManifest m = engine.backup(DirectorySource.of(site), SHOP_PROD, List.of(store));

    String context = "pledge-backup/v1/" + SHOP_PROD + "/" + m.id();
    assertThat(m.keyId()).isEqualTo("kms:alias/pledge-backups");
    assertThat(kms.requests()).hasSize(1);
    FakeKms.Request enc = kms.requests().get(0);
    assertThat(enc.target()).isEqualTo("TrentService.Encrypt");
    assertThat(enc.contentType()).isEqualTo("application/x-amz-json-1.1");
    assertThat(enc.authorization()).startsWith("AWS4-HMAC-SHA256 Credential=AKIDTEST/").contains("/eu-west-2/kms/aws4_request");
    assertThat(enc.body().get("KeyId").asText()).isEqualTo("alias/pledge-backups");
    assertThat(Json.mapper().convertValue(enc.body().get("EncryptionContext"), Map.class))
        .isEqualTo(Map.of("pledge-backup", context));
    byte[] dataKey = Base64.getDecoder().decode(enc.body().get("Plaintext").asText());
    assertThat(dataKey.length).isGreaterThan(32);
    // the manifest holds what KMS returned, never the data key itself
    String manifest = Files.readString(store.root().resolve("shop/production/" + m.id() + ".manifest.json"));
    assertThat(manifest).doesNotContain(enc.body().get("Plaintext").asText());

    kms.clearRequests();
    engine.restore(store, m.id(), DirectoryTarget.of(tmp.resolve("out")));

    assertThat(Files.readString(tmp.resolve("out/orders.csv"))).isEqualTo("id,total\n1,42.00\n2,17.50\n");
    assertThat(kms.requests()).isNotEmpty().allSatisfy(r -> {
      assertThat(r.target()).isEqualTo("TrentService.Decrypt");
      assertThat(r.body().get("KeyId").asText()).isEqualTo("alias/pledge-backups");
      assertThat(r.body().get("CiphertextBlob").asText()).isEqualTo(m.wrappedKey());
      assertThat(Json.mapper().convertValue(r.body().get("EncryptionContext"), Map.class))
          .isEqualTo(Map.of("pledge-backup", context));
    });
  }

  @Test
  void anotherKmsKeyFailsNamingTheBackupAndWritesNothing() {
    BackupManifest m = engine("pledge-backups").backup(DirectorySource.of(site), SHOP_PROD, List.of(store));
    Path out = tmp.resolve("out");

    assertThatThrownBy(() -> engine("other").restore(store, m.id(), DirectoryTarget.of(out)))
        .isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + m.id())
        .hasMessageContaining("kms:alias/other")
        .hasMessageContaining("IncorrectKeyException")
        .hasMessageContaining("kms:alias/pledge-backups");
    assertThat(out).doesNotExist();
    assertThat(engine("other").verify(store, m.id()).ok()).isFalse();
  }

  @Test
  void anAlteredWrappedKeyFailsNamingTheBackup() throws IOException {
    BackupEngine engine = engine("pledge-backups");
    BackupManifest m = engine.backup(DirectorySource.of(site), SHOP_PROD, List.of(store));
    Path manifestFile = store.root().resolve("shop/production/" + m.id() + ".manifest.json");
    ObjectNode json = (ObjectNode) Json.mapper().readTree(manifestFile.toFile());
    byte[] wrapped = Base64.getDecoder().decode(m.wrappedKey());
    wrapped[wrapped.length - 1] ^= 1;
    json.put("wrappedKey", Base64.getEncoder().encodeToString(wrapped));
    Files.write(manifestFile, Json.mapper().writeValueAsBytes(json));
    Path out = tmp.resolve("out");

    assertThatThrownBy(() -> engine.restore(store, m.id(), DirectoryTarget.of(out)))
        .isInstanceOf(BackupIntegrityException.class)
        .hasMessageContaining("backup " + m.id())
        .hasMessageContaining("InvalidCiphertextException");
    assertThat(out).doesNotExist();
    assertThat(engine.verify(store, m.id()).problem()).contains(m.id()).contains("InvalidCiphertextException");
  }

  @Test
  void anUnknownKmsKeyFailsTheBackupNamingItAndNothingIsListed() {
    BackupEngine engine = engine("missing");

    assertThatThrownBy(() -> engine.backup(DirectorySource.of(site), SHOP_PROD, List.of(store)))
        .isInstanceOf(BackupException.class)
        .hasMessageMatching("backup \\d{8}T\\d{6}Z-[0-9a-f]{8} of dir:.* failed: .*")
        .hasMessageContaining("kms:alias/missing")
        .hasMessageContaining("NotFoundException");
    assertThat(engine.list(store, null)).isEmpty();
  }

  @Test
  void thePolicyKeySettingsSelectTheWrapper() throws IOException {
    LocalKeyWrapper local = LocalKeyWrapper.generate(tmp.resolve("keys/backup.key"));
    KeyWrapper fromLocal = new BackupPolicy.KeySettings(null, "keys/backup.key", null, null).keyWrapper(tmp);
    assertThat(fromLocal).isInstanceOf(LocalKeyWrapper.class);
    assertThat(fromLocal.keyId()).isEqualTo(local.keyId());

    KeyWrapper fromKms = new BackupPolicy.KeySettings(BackupPolicy.KeyKind.KMS, null, "alias/pledge-backups", "eu-west-2")
        .keyWrapper(tmp);
    assertThat(fromKms).isInstanceOf(KmsKeyWrapper.class);
    assertThat(fromKms.keyId()).isEqualTo("kms:alias/pledge-backups");
    assertThat(kms.requests()).isEmpty();
  }
}
