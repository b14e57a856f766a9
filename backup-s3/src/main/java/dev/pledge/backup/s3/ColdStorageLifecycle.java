package dev.pledge.backup.s3;

import dev.pledge.backup.retention.ColdStorageClass;
import dev.pledge.backup.retention.RetentionPlanner;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.core.internal.Json;
import java.time.Period;
import java.util.Objects;
import software.amazon.awssdk.services.s3.model.AbortIncompleteMultipartUpload;
import software.amazon.awssdk.services.s3.model.BucketLifecycleConfiguration;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.LifecycleRuleFilter;
import software.amazon.awssdk.services.s3.model.Transition;
import software.amazon.awssdk.services.s3.model.TransitionStorageClass;

/**
 * The S3 lifecycle configuration that moves backups older than the hot period to the cold class
 * (P12), for operators who let S3 do the transitions. Deletions stay with the {@link
 * RetentionPlanner}: a lifecycle rule cannot know which backups the keep rules or a restore chain
 * still need, so the rule has no expiration. Objects under 128 KiB are not transitioned by S3's
 * default; the planner flags them. Stateless and thread-safe.
 */
public final class ColdStorageLifecycle {
  private ColdStorageLifecycle() {}

  /**
   * Whole days S3 must wait so that no backup moves before {@code hotPeriod} has passed in any
   * calendar: 366 per year, 31 per month, plus the days.
   */
  public static int transitionDays(Period hotPeriod) {
    Objects.requireNonNull(hotPeriod, "hotPeriod");
    if (hotPeriod.isNegative() || hotPeriod.isZero()) {
      throw new IllegalArgumentException("hotPeriod must be greater than zero, got " + hotPeriod);
    }
    return Math.toIntExact(hotPeriod.getYears() * 366L + hotPeriod.getMonths() * 31L + hotPeriod.getDays());
  }

  /**
   * The configuration for backups under {@code prefix} (may be empty for the whole bucket), as the
   * AWS SDK's model, ready for {@code S3Client.putBucketLifecycleConfiguration}.
   */
  public static BucketLifecycleConfiguration configuration(String prefix, Period hotPeriod,
      ColdStorageClass coldClass) {
    Objects.requireNonNull(prefix, "prefix");
    Objects.requireNonNull(coldClass, "coldClass");
    LifecycleRule rule = LifecycleRule.builder()
        .id(ruleId(coldClass))
        .filter(LifecycleRuleFilter.builder().prefix(prefix).build())
        .status(ExpirationStatus.ENABLED)
        .transitions(Transition.builder().days(transitionDays(hotPeriod))
            .storageClass(TransitionStorageClass.fromValue(coldClass.name())).build())
        .abortIncompleteMultipartUpload(AbortIncompleteMultipartUpload.builder().daysAfterInitiation(7).build())
        .build();
    return BucketLifecycleConfiguration.builder().rules(rule).build();
  }

  /** The same configuration as the JSON {@code aws s3api put-bucket-lifecycle-configuration} takes. */
  public static String json(String prefix, Period hotPeriod, ColdStorageClass coldClass) {
    BucketLifecycleConfiguration c = configuration(prefix, hotPeriod, coldClass);
    ObjectNode root = Json.mapper().createObjectNode();
    for (LifecycleRule r : c.rules()) {
      ObjectNode o = root.putArray("Rules").addObject();
      o.put("ID", r.id());
      o.putObject("Filter").put("Prefix", r.filter().prefix());
      o.put("Status", r.statusAsString());
      for (Transition t : r.transitions()) {
        o.putArray("Transitions").addObject().put("Days", t.days()).put("StorageClass", t.storageClassAsString());
      }
      o.putObject("AbortIncompleteMultipartUpload")
          .put("DaysAfterInitiation", r.abortIncompleteMultipartUpload().daysAfterInitiation());
    }
    return root.toString();
  }

  private static String ruleId(ColdStorageClass cls) {
    return "pledge-retention-to-" + cls.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
