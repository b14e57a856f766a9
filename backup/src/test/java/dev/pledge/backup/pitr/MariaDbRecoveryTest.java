package dev.pledge.backup.pitr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a MariaDB point-in-time restore replays binary logs (P9): the stop time and where replay
 * starts. The end-to-end restore through S3 is pledge-backup-s3's MariaDbPointInTimeRestoreTest.
 */
class MariaDbRecoveryTest {
  @Test
  void theStopTimeIsTheStartOfTheTargetsSecondInUtc() {
    assertThat(MariaDbRecovery.stopDatetime(Instant.parse("2026-11-20T12:00:00.900Z"))).isEqualTo("2026-11-20 12:00:00");
  }

  @Test
  void replayMustStartAtTheDumpsBinaryLog(@TempDir Path tmp) throws Exception {
    Path dump = tmp.resolve("d.sql");
    Files.writeString(dump, "-- MariaDB dump\n-- CHANGE MASTER TO MASTER_LOG_FILE='binlog.000007', MASTER_LOG_POS=344;\n");
    var pos = MariaDbRecovery.positionInDump(dump).orElseThrow();
    assertThat(pos).isEqualTo(new MariaDbRecovery.BinlogPosition("binlog.000007", 344));
    assertThatThrownBy(() -> MariaDbRecovery.binlogCommand(Path.of("mariadb-binlog"), List.of(Path.of("binlog.000006")),
        pos, Instant.EPOCH)).hasMessageContaining("must be binlog.000007");
    Files.writeString(dump, "-- no position here\n");
    assertThat(MariaDbRecovery.positionInDump(dump)).isEmpty();
  }
}
