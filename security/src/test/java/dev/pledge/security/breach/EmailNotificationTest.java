package dev.pledge.security.breach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import dev.pledge.core.Secret;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** P28 over real SMTP: GreenMail as the mail server on a free local port. */
class EmailNotificationTest {
  @RegisterExtension
  static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());

  @TempDir Path dir;

  private final List<Customer> customers = new ArrayList<>(List.of(
      new Customer("acme", "Acme Ltd", "security@acme.example"),
      new Customer("globex", "Globex", "it@globex.example"),
      new Customer("initech", "Initech", "ops@initech.example")));

  private EmailNotification.Builder notification(List<Customer> who) {
    MAIL.setUser("breach@zaltek.example", "pledge", "s3cret-smtp");
    return EmailNotification.builder("127.0.0.1", MAIL.getSmtp().getPort(), "breach@zaltek.example")
        .requireTls(false).login("pledge", Secret.ofUtf8("s3cret-smtp")).customers(() -> who).log(dir);
  }

  @Test
  void everyCustomerIsMailedOnceEvenWhenTheStepIsResumed() throws Exception {
    BreachIncident incident = new BreachIncident("BR-28", Instant.parse("2026-11-02T08:00:00Z"),
        "An API key was exposed.", false);
    // the first run reached two customers before the process died
    notification(customers.subList(0, 2)).build().perform(incident);

    String done = notification(customers).build().perform(incident);

    assertThat(done).isEqualTo("notified 3 customers by e-mail (1 in this run)");
    MimeMessage[] got = MAIL.getReceivedMessages();
    assertThat(got).hasSize(3);
    assertThat(Arrays.stream(got).map(m -> {
      try {
        return m.getAllRecipients()[0].toString();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    })).containsExactlyInAnyOrder("security@acme.example", "it@globex.example", "ops@initech.example");
    assertThat(got[0].getSubject()).isEqualTo("Security incident BR-28");
    assertThat(got[0].getHeader("X-Pledge-Incident")[0]).isEqualTo("BR-28");
    assertThat(((String) got[0].getContent())).contains("Dear Acme Ltd", "An API key was exposed.");
    assertThat(notification(customers).build().notified("BR-28")).containsExactlyInAnyOrder("acme", "globex",
        "initech");
  }

  @Test
  void aDrillLogsInAndCountsTheCustomersButSendsNothingAndABadLoginFailsTheStep() throws Exception {
    String drill = notification(customers).build()
        .perform(new BreachIncident("DRILL-1", Instant.parse("2026-11-02T08:00:00Z"), "", true));

    assertThat(drill).startsWith("rehearsed: connected to 127.0.0.1:").contains("as pledge", "would notify 3");
    assertThat(MAIL.getReceivedMessages()).isEmpty();

    EmailNotification wrong = EmailNotification.builder("127.0.0.1", MAIL.getSmtp().getPort(), "breach@zaltek.example")
        .requireTls(false).login("pledge", Secret.ofUtf8("wrong")).customers(() -> customers).build();
    MAIL.setUser("breach@zaltek.example", "pledge", "s3cret-smtp");
    assertThatThrownBy(() -> wrong.perform(new BreachIncident("BR-2", Instant.now(), "", false)))
        .isInstanceOf(jakarta.mail.AuthenticationFailedException.class);
  }
}
