package dev.pledge.backup.s3;

import dev.pledge.backup.retention.ColdStorageClass;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.pledge.core.internal.Json;
import java.time.Period;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

class ColdStorageLifecycleTest {
  @Test
  void threeMonthsHotNeverTransitionsEarlyInAnyCalendar() {
    assertThat(ColdStorageLifecycle.transitionDays(Period.ofMonths(3))).isEqualTo(93);
    assertThatThrownBy(() -> ColdStorageLifecycle.transitionDays(Period.ZERO)).hasMessageContaining("hotPeriod");
  }

  @Test
  void emitsATransitionWithoutExpiration() throws Exception {
    BucketLifecycleConfiguration c = ColdStorageLifecycle.configuration("backups/shop/", Period.ofMonths(3),
        ColdStorageClass.DEEP_ARCHIVE);
    assertThat(c.rules()).singleElement().satisfies(r -> {
      assertThat(r.filter().prefix()).isEqualTo("backups/shop/");
      assertThat(r.transitions()).singleElement().satisfies(t -> {
        assertThat(t.days()).isEqualTo(93);
        assertThat(t.storageClass()).isEqualTo(TransitionStorageClass.DEEP_ARCHIVE);
      });
      assertThat(r.expiration()).isNull();
    });
    JsonNode json = Json.mapper().readTree(ColdStorageLifecycle.json("", Period.ofMonths(3), ColdStorageClass.GLACIER_IR));
    assertThat(json.at("/Rules/0/Transitions/0/StorageClass").asText()).isEqualTo("GLACIER_IR");
    assertThat(json.at("/Rules/0/Status").asText()).isEqualTo("Enabled");
  }
}
