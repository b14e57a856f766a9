package dev.pledge.backup.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The part-size plan against S3's limits, computed without any data. */
class PartPlanTest {
  private static final long MIB = 1L << 20;
  private static final long GIB = 1L << 30;

  @Test
  void everyPartOfTheDefaultPlanIsWithinS3sLimitsAndNeverShrinks() {
    PartPlan plan = PartPlan.DEFAULT;
    long previous = 0;
    for (int n = 1; n <= PartPlan.MAX_PARTS; n++) {
      long size = plan.size(n);
      assertThat(size).as("part %d", n).isBetween(5 * MIB, 5 * GIB).isGreaterThanOrEqualTo(previous);
      previous = size;
    }
  }

  @Test
  void aFiveTebibyteObjectFitsInTenThousandPartsOfAtMostOneGibibyte() {
    PartPlan plan = PartPlan.DEFAULT;
    assertThat(plan.capacity(PartPlan.MAX_PARTS)).isGreaterThanOrEqualTo(5L << 40);
    assertThat(plan.size(PartPlan.MAX_PARTS)).isEqualTo(GIB);
    // the first part count that reaches 5 TiB leaves room to spare below 10,000
    int needed = 1;
    long sum = 0;
    for (; sum < (5L << 40); needed++) {
      sum += plan.size(needed);
    }
    assertThat(needed - 1).isBetween(9_000, PartPlan.MAX_PARTS);
  }

  @Test
  void smallBackupsKeepEightMebibytePartsAndTheStepsMatchTheTable() {
    PartPlan plan = PartPlan.DEFAULT;
    assertThat(plan.size(1)).isEqualTo(8 * MIB);
    assertThat(plan.size(800)).isEqualTo(8 * MIB);
    assertThat(plan.size(801)).isEqualTo(16 * MIB);
    assertThat(plan.size(5600)).isEqualTo(512 * MIB);
    assertThat(plan.size(5601)).isEqualTo(GIB);
    assertThat(plan.capacity(800)).isEqualTo(6400 * MIB); // 6.25 GiB
    assertThat(plan.capacity(1600)).isEqualTo(19_200 * MIB); // 18.75 GiB
    assertThat(plan.capacity(5600)).isEqualTo(812_800 * MIB); // 793.75 GiB
    assertThat(plan.capacity(10_000)).isEqualTo(5_318_400 * MIB); // 5193.75 GiB
    // the old fixed 8 MiB parts stopped at 78.125 GiB
    assertThat(8 * MIB * PartPlan.MAX_PARTS).isLessThan(plan.capacity(PartPlan.MAX_PARTS));
  }

  @Test
  void aPlanThatCannotReachFiveTebibytesOrBreaksAPartLimitIsRefused() {
    assertThatThrownBy(() -> new PartPlan(8 * MIB, 10_000, GIB)).hasMessageContaining("less than 5 TiB");
    // 813 parts a step, one more than the default's limit of 812, falls short
    assertThatThrownBy(() -> new PartPlan(8 * MIB, 813, GIB)).hasMessageContaining("less than 5 TiB");
    assertThat(new PartPlan(8 * MIB, 812, GIB).capacity(PartPlan.MAX_PARTS)).isGreaterThanOrEqualTo(5L << 40);
    assertThatThrownBy(() -> new PartPlan(8 * MIB, 1, 512 * MIB)).hasMessageContaining("less than 5 TiB");
    assertThatThrownBy(() -> new PartPlan(4 * MIB, 1, GIB)).hasMessageContaining("5 MiB..5 GiB");
    assertThatThrownBy(() -> new PartPlan(6 * GIB, 1, 6 * GIB)).hasMessageContaining("5 MiB..5 GiB");
    assertThatThrownBy(() -> new PartPlan(8 * MIB, 1, 6 * GIB)).hasMessageContaining("largestPartSize");
    assertThatThrownBy(() -> PartPlan.DEFAULT.size(10_001)).hasMessageContaining("1..10000");
  }

  @Test
  void aQuicklyGrowingPlanStopsAtFiveGibibyteParts() {
    PartPlan plan = new PartPlan(5 * MIB, 1, 5 * GIB);
    assertThat(plan.size(11)).isEqualTo(5 * GIB);
    assertThat(plan.size(10_000)).isEqualTo(5 * GIB);
    assertThat(plan.capacity(10_000)).isPositive(); // no overflow: at most 10,000 x 5 GiB < 2^63
  }
}
