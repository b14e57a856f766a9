package dev.pledge.backup.binding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.crypto.LocalKeyWrapper;
import dev.pledge.backup.schedule.BackupFreshness;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.backup.schedule.Trigger;
import dev.pledge.backup.store.FileStore;
import dev.pledge.core.Scope;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.audit.InMemoryAuditTrail;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.core.notify.Notifier;
import dev.pledge.core.time.MutableClock;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 13: every config builder of the module has {@code toBuilder()}, and builder, build,
 * {@code toBuilder()}, build gives the same configuration. Each builder sets non-default values, so a
 * setting that {@code toBuilder()} forgot would come back as its default and fail the comparison.
 */
class ToBuilderTest {
  private static final MutableClock CLOCK = MutableClock.at("2026-11-02T09:00:00Z");
  private static final InMemoryAuditTrail AUDIT = AuditTrail.inMemory();

  static Stream<Arguments> builders() throws IOException {
    Path dir = Files.createTempDirectory("pledge-tobuilder");
    LocalKeyWrapper key = LocalKeyWrapper.generate(dir.resolve("master.key"));
    FileStore store = FileStore.at(dir.resolve("store"));
    BackupEngine engine = BackupEngine.builder(key).clock(CLOCK).auditTrail(AUDIT).build();
    Schedule nightly = Schedule.of("nightly", Scope.of("shop", "production"), Trigger.every(Duration.ofHours(24)));
    return Stream.of(
        of("FileStore", () -> FileStore.builder(dir.resolve("other")).clock(CLOCK).incompleteWriteAge(Duration.ofHours(2))),
        of("BackupScheduler", () -> BackupScheduler.builder("node-a").clock(CLOCK).lock(SlotLock.inMemory())
            .executor(Runnable::run).notifier(Notifier.recording()).audit(AUDIT)
            .retries(5, Duration.ofSeconds(30), 3.0)),
        of("BackupFreshness", () -> BackupFreshness.builder(List.of(nightly), engine, List.of(store)).clock(CLOCK)
            .tolerance(Duration.ofMinutes(3))),
        of("BackupEngine", () -> BackupEngine.builder(key).clock(CLOCK).auditTrail(AUDIT).actor("tester")
            .compressionLevel(5).threads(2).locations(List.of(store)).source(Scope.of("shop", "staging"),
                dev.pledge.backup.source.DirectorySource.of(dir))));
  }

  private static Arguments of(String name, Supplier<Object> builder) {
    return Arguments.of(name, builder);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builders")
  void builderBuildToBuilderBuildKeepsEverySetting(String name, Supplier<Object> builder) throws Exception {
    Object given = builder.get();
    Object copy = call(call(given, "build"), "toBuilder");
    assertThat(copy).as(name).usingRecursiveComparison().ignoringExpectedNullFields().isEqualTo(given);
    Object again = call(call(copy, "build"), "toBuilder");
    assertThat(again).as(name).usingRecursiveComparison().isEqualTo(copy);
  }

  static Object call(Object target, String method) throws Exception {
    Method m = target.getClass().getMethod(method);
    return m.invoke(target);
  }
}
