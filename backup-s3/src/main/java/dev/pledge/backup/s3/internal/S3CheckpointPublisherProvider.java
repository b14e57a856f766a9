package dev.pledge.backup.s3.internal;

import dev.pledge.backup.s3.S3CheckpointPublisher;
import dev.pledge.core.audit.CheckpointPublisher;
import dev.pledge.core.audit.CheckpointPublisherProvider;

/** Opens {@code s3://} checkpoint places for {@link dev.pledge.core.audit.AuditTrails}. Not an API. */
public final class S3CheckpointPublisherProvider implements CheckpointPublisherProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public S3CheckpointPublisherProvider() {}

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public CheckpointPublisher open(String place) {
    return S3CheckpointPublisher.create(place);
  }
}
