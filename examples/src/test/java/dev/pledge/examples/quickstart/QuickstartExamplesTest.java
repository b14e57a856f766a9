package dev.pledge.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** Runs every module's example {@code main}, as the README tells a reader to, and checks what it printed. */
@ResourceLock(Resources.SYSTEM_OUT)
class QuickstartExamplesTest {

  interface Main {
    void run() throws Exception;
  }

  private static String run(Main main) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      main.run();
    } finally {
      System.setOut(original);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  @Test
  void policy() throws Exception {
    String out = run(() -> PolicyExample.main(new String[0]));
    assertThat(out).contains("Zaltek: 5 site environments, regions [eu-west-2, eu-west-1]")
        .contains("5m = PT5M, 3 months = P3M")
        .contains("refused: mine.yaml:3:").contains("hosting.tlsOnyl").contains("tlsOnly");
  }

  @Test
  void passwords() throws Exception {
    String out = run(() -> PasswordExample.main(new String[0]));
    assertThat(out).contains("7 characters: valid false [TOO_SHORT")
        .contains("21 characters: valid true []")
        .contains("bcrypt hash $2b$12$...; verifies true, near miss false")
        .contains("TOTP code accepted true, replay accepted false");
  }

  @Test
  void rateLimit() throws Exception {
    String out = run(() -> RateLimitExample.main(new String[0]));
    assertThat(out).contains("50 requests at once: 20 allowed").contains("Retry-After: 1 s; another client allowed: true")
        .containsPattern("half a second later: .*allowed=true");
  }

  @Test
  void backup(@TempDir Path tmp) throws Exception {
    String out = run(() -> BackupExample.main(new String[] {tmp.toString()}));
    assertThat(out).containsPattern("backup \\d{8}T\\d{6}Z-[0-9a-f]{8}: \\d+ bytes -> \\d+ stored, AES256_GCM_HKDF_1MB, locations 2")
        .contains("verify: true").contains("restored: 3 lines");
    assertThat(tmp.resolve("restored/orders.csv")).hasContent("id,total\n1,19.99\n2,5.00\n");
  }

  @Test
  void retention() throws Exception {
    String out = run(() -> RetentionExample.main(new String[0]));
    assertThat(out).containsPattern("PLEDGE: keep \\d+, archive \\d+, delete \\d+")
        .containsPattern("RESTIC: keep \\d+").containsPattern("BORG: keep \\d+")
        .containsPattern("b\\d+ .*: keep \\[last, daily").containsPattern("b\\d+ .*: archive \\[")
        .containsPattern("b\\d+ .*: delete \\[no keep rule matched\\]");
  }

  @Test
  void sla() throws Exception {
    String out = run(() -> SlaExample.main(new String[0]));
    assertThat(out).contains("Gold (120 min): Checkout is down").contains("Silver (360 min): The invoice totals")
        .contains("Bronze (2880 min): The date picker")
        .contains("elapsed PT3H of PT6H, deadline 2026-11-20T17:00:00Z");
  }

  @Test
  void uptime() throws Exception {
    String out = run(() -> UptimeExample.main(new String[0]));
    assertThat(out).contains("shop 2026-10: ").contains("down 19 min, excluded 30 min, met true");
  }
}
