package dev.pledge.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sites, environments and months are checked against the policy and the clock (issue 19). */
class CliPolicyScopeTest {
  @TempDir Path tmp;

  @Test
  void backupRunRefusesASiteOrEnvironmentThePolicyLacksAndHasNoMadeUpDefault() throws IOException {
    String key = tmp.resolve("k").toString();
    assertThat(CliRun.of("backup", "keygen", "--out", key).exitCode()).isZero();
    Files.createDirectories(tmp.resolve("src"));
    String[] base = {"backup", "run", "--source", "dir:" + tmp.resolve("src"), "--store", "file:" + tmp.resolve("s"),
        "--key-file", key};
    CliRun typo = CliRun.of(concat(base, "--site", "shoop", "--env", "production"));
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err()).contains("--site: 'shoop' is not a site of the policy (its sites: shop, portal)")
        .contains("did you mean 'shop'?");
    CliRun env = CliRun.of(concat(base, "--site", "shop", "--env", "prod"));
    assertThat(env.exitCode()).isEqualTo(2);
    assertThat(env.err()).contains("--env: 'prod' is not an environment of site shop").contains("did you mean 'production'?");
    CliRun none = CliRun.of(base);
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("--site is required: the policy's sites are shop, portal");
    assertThat(tmp.resolve("s")).doesNotExist();
  }

  @Test
  void uptimeReportRefusesAnUnknownSiteAndAFutureMonthAndMarksTheCurrentOnePartial() throws IOException {
    Path outages = Files.writeString(tmp.resolve("o.jsonl"), "");
    CliRun site = CliRun.of("uptime", "report", "--site", "shoop", "--month", "2026-10", "--outages", outages.toString());
    assertThat(site.exitCode()).isEqualTo(2);
    assertThat(site.err()).contains("'shoop' is not a site of the policy");
    CliRun future = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-12", "--outages", outages.toString(),
        "--now", "2026-11-15T12:00:00Z");
    assertThat(future.exitCode()).isEqualTo(2);
    assertThat(future.err()).contains("--month: 2026-12 has not begun");
    CliRun current = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-11", "--outages", outages.toString(),
        "--now", "2026-11-15T12:00:00Z", "--json");
    assertThat(current.exitCode()).as(current.err()).isZero();
    assertThat(current.json().get("partial").asBoolean()).isTrue();
    assertThat(current.json().get("asOf").asText()).isEqualTo("2026-11-15T12:00:00Z");
    CliRun human = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-11", "--outages", outages.toString(),
        "--now", "2026-11-15T12:00:00Z");
    assertThat(human.out()).contains("partial: the month is not over");
    CliRun over = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-10", "--outages", outages.toString(),
        "--now", "2026-11-15T12:00:00Z", "--json");
    assertThat(over.json().get("partial").asBoolean()).isFalse();
  }

  @Test
  void fileProblemsAreSaidInTheUsersWords() throws IOException {
    Path outages = Files.writeString(tmp.resolve("o.jsonl"), "");
    Path html = tmp.resolve("missing/report.html");
    CliRun r = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-10", "--outages", outages.toString(),
        "--html", html.toString(), "--now", "2026-11-15T12:00:00Z");
    assertThat(r.err()).contains("--html: cannot write " + html + ": no such file or folder")
        .doesNotContain("Exception").doesNotContain(html + ": " + html);
    CliRun dir = CliRun.of("uptime", "report", "--site", "shop", "--month", "2026-10", "--outages", tmp.toString(),
        "--now", "2026-11-15T12:00:00Z");
    assertThat(dir.exitCode()).isEqualTo(2);
    assertThat(dir.err()).contains("is a directory").doesNotContain("IOException");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
