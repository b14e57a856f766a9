package dev.pledge.security.breach;

import dev.pledge.core.Secret;
import dev.pledge.security.internal.LockedJsonFile;
import dev.pledge.security.internal.LockedJsonFile.Outcome;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The built-in action for {@link StepKind#NOTIFY_CUSTOMERS} (P28): e-mails every customer over SMTP
 * (Jakarta Mail, Eclipse Angus; add {@code org.eclipse.angus:angus-mail} to use it).
 *
 * <p>Each customer notified for an incident is logged before the next is sent, so a resumed step
 * writes only to those not yet reached; a crash between a send and its log line can send that one
 * customer a second copy, never none. SMTP requires STARTTLS by default (P22). In a drill, the action
 * connects and authenticates to the server and reads the customer list, sending nothing (P32).
 * Thread-safe; sends run one at a time.
 */
public final class EmailNotification implements BreachAction {
  private final String host;
  private final int port;
  private final boolean requireTls;
  private final String username;
  private final Secret password;
  private final InternetAddress from;
  private final String subject;
  private final String body;
  private final Supplier<List<Customer>> customers;
  private final LockedJsonFile<Log> log;

  private final Builder settings;

  private EmailNotification(Builder b) {
    this.settings = new Builder(b);
    this.host = b.host;
    this.port = b.port;
    this.requireTls = b.requireTls;
    this.username = b.username;
    this.password = b.password;
    this.from = b.from;
    this.subject = b.subject;
    this.body = b.body;
    this.customers = b.customers;
    this.log = b.logDir == null ? LockedJsonFile.inMemory(Log.class, Log::new)
        : LockedJsonFile.at(b.logDir.resolve("notified.json"), Log.class, Log::new);
  }

  /** A builder for notifications sent through {@code host:port} from {@code from}. */
  public static Builder builder(String host, int port, String from) {
    return new Builder(host, port, from);
  }

  /** The customers already notified for {@code incidentId}, by id. */
  public Set<String> notified(String incidentId) {
    return log.read(l -> Set.copyOf(l.sent.getOrDefault(incidentId, List.of())));
  }

  @Override
  public String perform(BreachIncident incident) throws MessagingException {
    List<Customer> all = customers.get();
    Session session = Session.getInstance(properties());
    try (Transport t = session.getTransport("smtp")) {
      t.connect(host, port, username, password == null ? null : password.utf8());
      if (incident.drill()) {
        return "rehearsed: connected to " + host + ":" + port + (requireTls ? " over TLS" : "")
            + (username == null ? "" : " as " + username) + "; would notify " + all.size() + " customers";
      }
      Set<String> done = notified(incident.id());
      int sent = 0;
      for (Customer c : all) {
        if (done.contains(c.id())) {
          continue;
        }
        MimeMessage m = new MimeMessage(session);
        m.setFrom(from);
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(c.email(), true));
        m.setSubject(fill(subject, incident, c), "UTF-8");
        m.setText(fill(body, incident, c), "UTF-8");
        m.setHeader("X-Pledge-Incident", incident.id());
        m.saveChanges();
        t.sendMessage(m, m.getAllRecipients());
        log.update(l -> {
          l.sent.computeIfAbsent(incident.id(), k -> new ArrayList<>()).add(c.id());
          return Outcome.changed(null);
        });
        sent++;
      }
      return "notified " + all.size() + " customers by e-mail (" + sent + " in this run)";
    }
  }

  private Properties properties() {
    Properties p = new Properties();
    p.setProperty("mail.smtp.host", host);
    p.setProperty("mail.smtp.port", String.valueOf(port));
    p.setProperty("mail.smtp.auth", String.valueOf(username != null));
    p.setProperty("mail.smtp.starttls.enable", String.valueOf(requireTls));
    p.setProperty("mail.smtp.starttls.required", String.valueOf(requireTls));
    p.setProperty("mail.smtp.connectiontimeout", "10000");
    p.setProperty("mail.smtp.timeout", "10000");
    p.setProperty("mail.smtp.writetimeout", "10000");
    return p;
  }

  private static String fill(String template, BreachIncident i, Customer c) {
    return template.replace("{incident}", i.id()).replace("{customer}", c.name())
        .replace("{detectedAt}", i.detectedAt().toString()).replace("{summary}", i.summary());
  }

  /** The log of who was notified: public fields, so Jackson reads and writes it as it is. */
  public static final class Log {
    /** Customer ids notified, by incident id. */
    public Map<String, List<String>> sent = new HashMap<>();
  }

  /**
   * A builder holding every setting of this notification (server, sender, TLS, credentials, subject,
   * body, customers, log folder), to change one.
   */
  public Builder toBuilder() {
    return new Builder(settings);
  }

  /** Builds an {@link EmailNotification}. Not thread-safe. */
  public static final class Builder {
    private final String host;
    private final int port;
    private final InternetAddress from;
    private boolean requireTls = true;
    private String username;
    private Secret password;
    private String subject = "Security incident {incident}";
    private String body = "Dear {customer},\n\nwe detected a security incident ({incident}) at {detectedAt}. "
        + "{summary}\n\nWe are responding now and will tell you what it means for you.";
    private Supplier<List<Customer>> customers = List::of;
    private Path logDir;

    private Builder(String host, int port, String from) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("SMTP host must not be blank");
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("SMTP port must be 1..65535, got " + port);
      }
      this.host = host;
      this.port = port;
      try {
        this.from = new InternetAddress(Objects.requireNonNull(from, "from"), true);
      } catch (jakarta.mail.internet.AddressException e) {
        throw new IllegalArgumentException("from is not an e-mail address: '" + from + "'");
      }
    }

    /** Whether STARTTLS is required (default true, P22); false only for a server on the same host. */
    public Builder requireTls(boolean requireTls) {
      this.requireTls = requireTls;
      return this;
    }

    /** SMTP authentication (default: none). */
    public Builder login(String username, Secret password) {
      this.username = Objects.requireNonNull(username, "username");
      this.password = Objects.requireNonNull(password, "password");
      return this;
    }

    /** The subject; {@code {incident}}, {@code {customer}}, {@code {detectedAt}}, {@code {summary}} are filled in. */
    public Builder subject(String subject) {
      this.subject = Objects.requireNonNull(subject, "subject");
      return this;
    }

    /** The body, with the same placeholders as {@link #subject}. */
    public Builder body(String body) {
      this.body = Objects.requireNonNull(body, "body");
      return this;
    }

    /** Who to notify, read when the step runs. */
    public Builder customers(Supplier<List<Customer>> customers) {
      this.customers = Objects.requireNonNull(customers, "customers");
      return this;
    }

    /** A folder for the log of who was notified, so a resumed step skips them (default: in memory). */
    public Builder log(Path dir) {
      this.logDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /** The action. */
    public EmailNotification build() {
      return new EmailNotification(this);
    }

    /** A copy of {@code other}'s settings, for {@code toBuilder()}. */
    private Builder(Builder other) {
      this.host = other.host;
      this.port = other.port;
      this.from = other.from;
      this.requireTls = other.requireTls;
      this.username = other.username;
      this.password = other.password;
      this.subject = other.subject;
      this.customers = other.customers;
      this.logDir = other.logDir;
      this.body = other.body;
    }
  }
}
