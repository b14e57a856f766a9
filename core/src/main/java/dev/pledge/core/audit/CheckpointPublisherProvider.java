package dev.pledge.core.audit;

/**
 * Opens checkpoint publishers for places named by a URI scheme that core does not know itself (P14,
 * P20), such as {@code s3://} from the optional {@code pledge-backup-s3} artifact. Found with
 * {@link java.util.ServiceLoader}; {@link AuditTrails#publisher} and the policy's
 * {@code audit.publishTo} use it for every place that is neither a folder nor a {@code jdbc:} URL.
 */
public interface CheckpointPublisherProvider {

  /** The URI scheme this provider opens, such as {@code s3}. */
  String scheme();

  /**
   * A publisher for {@code place}.
   *
   * @throws IllegalArgumentException naming what is wrong with {@code place}, never a secret
   */
  CheckpointPublisher open(String place);
}
