package dev.pledge.security.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder store is safe for several processes: no update is lost and each grant ends once (two child JVMs racing to end the same grants while this one enrols). */
class FolderStoreProcessesTest {
  @TempDir Path dir;

  @Test
  void processesRacingOnOneFolderLoseNoUpdateAndEndEachGrantOnce() throws Exception {
    int count = 15;
    AccessStore store = AccessStore.folder(dir);
    Instant from = Instant.parse("2026-11-02T09:00:00Z");
    for (int i = 0; i < count; i++) {
      store.addGrant(new AccessGrant("g" + i, "ana", "operations", "*", "INC-" + i, from, from.plusSeconds(3600)));
    }
    List<Process> procs = new ArrayList<>();
    for (String name : List.of("p1", "p2")) {
      procs.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), RacingProcess.class.getName(), dir.toString(), name,
          String.valueOf(count)).redirectErrorStream(true).start());
    }
    List<String> ended = new ArrayList<>();
    // this JVM writes at the same time, through its own store object on the same folder
    AccessStore mine = AccessStore.folder(dir);
    for (int i = 0; i < count; i++) {
      mine.addPerson(Person.employee("p0-" + i, "P " + i), from);
    }
    for (Process p : procs) {
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      out.lines().filter(l -> !l.isBlank()).forEach(ended::add);
    }

    assertThat(store.people()).hasSize(3 * count);
    assertThat(ended).as("each grant ended by exactly one process").hasSize(count).doesNotHaveDuplicates();
    assertThat(store.grants()).allSatisfy(g -> assertThat(g.status()).isEqualTo(GrantStatus.REVOKED));
  }
}
