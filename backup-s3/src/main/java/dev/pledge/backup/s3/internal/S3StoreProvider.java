package dev.pledge.backup.s3.internal;

import dev.pledge.backup.s3.S3Store;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.BackupStoreProvider;
import dev.pledge.backup.store.S3Location;

/** Opens {@code s3://} locations for {@link dev.pledge.backup.store.Stores}. Not an API. */
public final class S3StoreProvider implements BackupStoreProvider {
  /** Used by {@link java.util.ServiceLoader}. */
  public S3StoreProvider() {}

  @Override
  public String scheme() {
    return "s3";
  }

  @Override
  public void validate(String location) {
    S3Location.parse(location);
  }

  @Override
  public BackupStore open(String location) {
    return S3Store.create(S3Location.parse(location));
  }
}
