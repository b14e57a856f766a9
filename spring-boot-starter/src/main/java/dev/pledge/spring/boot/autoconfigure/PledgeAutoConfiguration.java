package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.crypto.KeyWrapper;
import dev.pledge.backup.schedule.BackupFreshness;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.Stores;
import dev.pledge.core.Secret;
import dev.pledge.core.audit.AuditPolicy;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.time.Ticker;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsPolicy;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.LoginThrottlePolicy;
import dev.pledge.security.ratelimit.RateLimitsPolicy;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.spring.ratelimit.PledgeRateLimiters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;

/**
 * Loads the policy document named by {@code pledge.policy} (default {@code classpath:policy.yaml}) with
 * {@link PolicyLoader}, strictly, and exposes Pledge's primitives bound from it as beans: for each section
 * the document states and whose module is on the class path, the component that keeps its promises.
 *
 * <table>
 *   <caption>Beans</caption>
 *   <tr><th>Section</th><th>Beans</th></tr>
 *   <tr><td>(the document)</td><td>{@link PolicyDocument}</td></tr>
 *   <tr><td>{@code passwords}</td><td>{@link PasswordRules}, {@link PasswordValidator}, {@link PasswordHasher} (P23, P24)</td></tr>
 *   <tr><td>{@code rateLimits}</td><td>{@link PledgeRateLimiters}: a per-client limiter per limit (P13)</td></tr>
 *   <tr><td>{@code loginThrottle}</td><td>{@link LoginThrottle} (P13)</td></tr>
 *   <tr><td>{@code oncall}</td><td>{@link OnCallSchedule} (P38), with {@code pledge-sla}</td></tr>
 *   <tr><td>{@code sla}</td><td>{@link Classifier} (P33-P37), with {@code pledge-sla}</td></tr>
 *   <tr><td>{@code audit}</td><td>{@link AuditTrail}: the policy's trail (P14, P20), for the application's
 *       auditing components (which have no default trail)</td></tr>
 *   <tr><td>{@code backups}</td><td>{@link PledgeBackupStores} (the policy's stores, closed with the
 *       context) and {@link BackupFreshness}: the stores read for the backup health indicator and meters
 *       (P6, P7), with {@code pledge-backup}</td></tr>
 * </table>
 *
 * <p>Every bean backs off when the application declares one of the same type. Components read time
 * from the application's {@link Clock} bean and {@link Ticker} bean when it has exactly one, else from
 * the system. A policy that does not load stops the start with the loader's message (file, line, column,
 * key path); its warnings are logged once. What the starter opens is closed with the context: the
 * audit trail (its writer connection, its last checkpoint), the login throttle's shared store and the
 * backup stores ({@link PledgeBackupStores}).
 */
@AutoConfiguration
@EnableConfigurationProperties(PledgeProperties.class)
public class PledgeAutoConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(PledgeAutoConfiguration.class);

  /** The policy document at {@code pledge.policy}. */
  @Bean
  @ConditionalOnMissingBean
  public PolicyDocument pledgePolicy(PledgeProperties properties, ResourceLoader resources) {
    PolicyDocument policy = PolicyLocation.of(properties.getPolicy()).load(PolicyLoader.create(), resources);
    for (PolicyWarning w : policy.warnings()) {
      LOG.warn("policy {}: {}", policy.source(), w);
    }
    LOG.info("policy {} loaded: sections {}", policy.source(), policy.sectionNames());
    return policy;
  }

  /**
   * The trail the policy's {@code audit} section describes; closed (its last checkpoint written) when
   * the context closes.
   */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnPolicySection("audit")
  public AuditTrail pledgeAuditTrail(PolicyDocument policy, ObjectProvider<Clock> clock) {
    return AuditTrail.builder(policy.require(AuditPolicy.class)).clock(clock(clock)).build();
  }

  static Clock clock(ObjectProvider<Clock> clock) {
    return clock.getIfUnique(Clock::systemUTC);
  }

  static Ticker ticker(ObjectProvider<Ticker> ticker) {
    return ticker.getIfUnique(Ticker::system);
  }

  /** Passwords, rate limits and the login throttle, from {@code pledge-security}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(PasswordsPolicy.class)
  static class SecurityBeans {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("passwords")
    PasswordRules pledgePasswordRules(PolicyDocument policy) {
      return PasswordRules.from(policy.require(PasswordsPolicy.class));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("passwords")
    PasswordValidator pledgePasswordValidator(PasswordRules passwords) {
      return PasswordValidator.create(passwords);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("passwords")
    PasswordHasher pledgePasswordHasher(PasswordRules passwords, PledgeProperties properties) {
      String pepper = properties.getPasswords().getPepper();
      try {
        return PasswordHasher.from(passwords.hashing(), pepper == null ? null : Secret.ofUtf8(pepper));
      } catch (IllegalArgumentException e) {
        // the pepper is the only hashing input not in the policy; say which setting carries it
        throw new IllegalArgumentException("passwords.hashing with pledge.passwords.pepper: " + e.getMessage(), e);
      }
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("rateLimits")
    PledgeRateLimiters pledgeRateLimiters(PolicyDocument policy, PledgeProperties properties,
        ObjectProvider<Ticker> ticker, ObjectProvider<Clock> clock) {
      return PledgeRateLimiters.from(policy.require(RateLimitsPolicy.class), ticker(ticker), clock(clock),
          properties.getRateLimit().getMaximumClients());
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("loginThrottle")
    LoginThrottle pledgeLoginThrottle(PolicyDocument policy, ObjectProvider<Ticker> ticker,
        ObjectProvider<Clock> clock) {
      // the section's store (Redis, JDBC) is opened here and closed with the throttle, so with the context
      return LoginThrottle.builder(policy.require(LoginThrottlePolicy.class)).ticker(ticker(ticker)).clock(clock(clock))
          .build();
    }
  }

  /** The backup stores as the policy names them, read for freshness, from {@code pledge-backup}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(BackupPolicy.class)
  static class BackupBeans {

    /** The policy's stores, opened once and closed with the context (the bean's {@code close()}). */
    @Bean
    @ConditionalOnMissingBean({PledgeBackupStores.class, BackupFreshness.class})
    @ConditionalOnPolicySection("backups")
    @ConditionalOnProperty(prefix = "pledge.backup", name = "enabled", matchIfMissing = true)
    PledgeBackupStores pledgeBackupStores(PolicyDocument policy, PledgeProperties properties) {
      BackupPolicy backups = policy.require(BackupPolicy.class);
      Path base = baseDirectory(policy, properties.getBackup().getBaseDirectory());
      List<BackupStore> stores = new ArrayList<>();
      try {
        for (String location : backups.locations()) {
          stores.add(Stores.parse(resolve(location, base)));
        }
      } catch (RuntimeException e) {
        new PledgeBackupStores(stores).close(); // those already opened
        throw e;
      }
      return new PledgeBackupStores(stores);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("backups")
    @ConditionalOnProperty(prefix = "pledge.backup", name = "enabled", matchIfMissing = true)
    BackupFreshness pledgeBackupFreshness(PolicyDocument policy, PledgeProperties properties,
        PledgeBackupStores stores, ObjectProvider<Clock> clock, ObjectProvider<AuditTrail> audit) {
      BackupPolicy backups = policy.require(BackupPolicy.class);
      Path base = baseDirectory(policy, properties.getBackup().getBaseDirectory());
      KeyWrapper key;
      try {
        key = backups.key().keyWrapper(base);
      } catch (RuntimeException e) {
        // the key file is the one input read from outside the document; say where it was looked for
        throw new IllegalArgumentException("backups.key, read from " + base + " (pledge.backup.base-directory; "
            + "pledge.backup.enabled=false turns the backup indicator and meters off): " + e.getMessage(), e);
      }
      Clock c = clock(clock);
      // Reading lists and authenticates manifests only; anything the engine records goes to the policy's trail.
      BackupEngine engine = BackupEngine.builder(key).clock(c).auditTrail(audit.getIfUnique(AuditTrail::toLog))
          .build();
      return BackupFreshness.builder(backups, engine, stores.stores()).clock(c)
          .tolerance(properties.getHealth().getBackupTolerance()).build();
    }

    private static Path baseDirectory(PolicyDocument policy, String configured) {
      if (configured != null && !configured.isBlank()) {
        return Path.of(configured);
      }
      String source = policy.source();
      Path file = source.startsWith("file:") ? Path.of(java.net.URI.create(source)) : null;
      if (file == null && !source.contains(":")) {
        file = Path.of(source);
      }
      if (file != null && Files.isRegularFile(file) && file.toAbsolutePath().getParent() != null) {
        return file.toAbsolutePath().getParent();
      }
      return Path.of("").toAbsolutePath();
    }

    private static String resolve(String location, Path base) {
      if (location.startsWith("file:")) {
        Path p = Path.of(location.substring("file:".length()));
        return "file:" + (p.isAbsolute() ? p : base.resolve(p).normalize());
      }
      return location;
    }
  }

  /** The on-call schedule and the severity classifier, from {@code pledge-sla}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(OnCallPolicy.class)
  static class SlaBeans {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("oncall")
    OnCallSchedule pledgeOnCallSchedule(PolicyDocument policy) {
      return OnCallSchedule.from(policy.require(OnCallPolicy.class));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("sla")
    Classifier pledgeClassifier(PolicyDocument policy) {
      return Classifier.from(policy.require(SlaPolicy.class));
    }
  }
}
