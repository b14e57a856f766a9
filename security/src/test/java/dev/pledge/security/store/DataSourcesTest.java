package dev.pledge.security.store;

import dev.pledge.core.audit.AuditTrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.Secret;
import dev.pledge.security.apikey.ApiKeyStore;
import dev.pledge.security.apikey.ApiKeys;
import java.sql.Connection;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The public way to a {@link DataSource} from a JDBC URL, on H2. */
class DataSourcesTest {

  @Test
  void aUrlDataSourceOpensWorkingConnectionsForTheJdbcStores() throws Exception {
    DataSource ds = DataSources.fromUrl("jdbc:h2:mem:dstest;DB_CLOSE_DELAY=-1");
    try (Connection c = ds.getConnection()) {
      assertThat(c.isValid(1)).isTrue();
    }
    ApiKeys keys = ApiKeys.builder(ApiKeyStore.jdbc(ds, "ds_keys")).audit(AuditTrail.inMemory()).build();
    assertThat(keys.verify(keys.issue("acme", "test").text().utf8())).isPresent();
  }

  @Test
  void aUserAndPasswordAreUsedButNeverShownAndABadUrlIsRefusedByName() throws Exception {
    DataSource ds = DataSources.fromUrl("jdbc:h2:mem:dstest2;DB_CLOSE_DELAY=-1", "sa", Secret.ofUtf8("pw-1234567"));
    try (Connection c = ds.getConnection()) {
      assertThat(c.getMetaData().getUserName()).isEqualToIgnoringCase("sa");
    }
    assertThat(ds.toString()).doesNotContain("pw-1234567");
    assertThat(DataSources.fromUrl("jdbc:postgresql://db:5432/app?user=a&password=hunter2").toString())
        .isEqualTo("jdbc:postgresql://db:5432/app?...");
    assertThat(DataSources.redact("jdbc:mariadb://db/app?password=x")).isEqualTo("jdbc:mariadb://db/app?...");
    assertThatThrownBy(() -> DataSources.fromUrl("postgresql://db/app")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("starts with jdbc:");
  }
}
