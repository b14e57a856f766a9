package dev.pledge.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit with and without gathering (P20): the setting's meaning, and under 8 concurrent
 * callers (gathering waits for them) every acknowledged record is in the file once, in one intact
 * chain; a lone caller after them is not held back for callers that have gone.
 */
class GroupCommitTest {
  @TempDir Path dir;

  @Test
  void gatheringIsOnForGroupsAndCanBeTurnedOff() {
    assertThat(Durability.grouped().gathers()).isTrue();
    assertThat(Durability.grouped().withoutGathering().gathers()).isFalse();
    assertThat(Durability.grouped().withoutGathering().maxGroup()).isEqualTo(1000);
    assertThat(Durability.perRecord().gathers()).isFalse();
    assertThat(Durability.perRecord().withoutGathering()).isEqualTo(Durability.perRecord());
    assertThat(Durability.grouped(50)).isNotEqualTo(Durability.grouped(50).withoutGathering());
    assertThat(Durability.grouped(50).withoutGathering().toString()).isEqualTo("grouped(max 50, no gathering)");
    assertThatThrownBy(() -> Durability.grouped(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void eightGatheringCallersLoseNothingAndKeepOneChain() throws Exception {
    for (Durability d : List.of(Durability.grouped(), Durability.grouped().withoutGathering())) {
      Path file = dir.resolve(d.gathers() + ".jsonl");
      Instant at = Instant.parse("2026-11-01T06:30:00Z");
      ConcurrentHashMap<Long, String> acknowledged = new ConcurrentHashMap<>();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try (ChainedAuditTrail trail = ChainedAuditTrail.builder(JsonLinesAuditStore.open(file)).durability(d).build()) {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          String actor = "t" + t;
          done.add(pool.submit(() -> {
            go.await();
            for (int i = 0; i < 150; i++) {
              ChainedRecord c = trail.append(AuditRecord.of(at, actor, "access.check", "r" + i, AuditOutcome.SUCCESS));
              acknowledged.put(c.seq(), actor + "/r" + i);
            }
            return null;
          }));
        }
        go.countDown();
        for (Future<?> f : done) {
          f.get(5, TimeUnit.MINUTES);
        }
        // the callers are gone: a lone record is written without waiting for them (bounded wait only)
        assertThat(trail.append(AuditRecord.of(at, "lone", "access.check", "r", AuditOutcome.SUCCESS)).seq())
            .isEqualTo(1201);
      } finally {
        pool.shutdownNow();
      }
      assertThat(acknowledged).hasSize(1200);
      try (JsonLinesAuditStore s = JsonLinesAuditStore.openForReading(file)) {
        AuditVerification v = AuditVerifier.create().verify(s);
        assertThat(v.intact()).as(v.toString()).isTrue();
        assertThat(v.records()).isEqualTo(1201);
        try (var records = s.records(AuditQuery.all())) {
          records.filter(c -> c.seq() <= 1200).forEach(c -> assertThat(acknowledged.get(c.seq()))
              .isEqualTo(c.record().actor() + "/" + c.record().resource()));
        }
      }
    }
  }
}
