package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.core.Secret;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import dev.pledge.core.policy.PolicyWarning;
import dev.pledge.core.time.Ticker;
import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordPolicy;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.PasswordsSection;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.LoginThrottlePolicy;
import dev.pledge.security.ratelimit.RateLimitsPolicy;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.sla.oncall.OnCallSchedule;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.SlaPolicy;
import dev.pledge.spring.ratelimit.PledgeRateLimiters;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
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
 *   <tr><td>{@code passwords}</td><td>{@link PasswordPolicy}, {@link PasswordValidator}, {@link PasswordHasher} (P23, P24)</td></tr>
 *   <tr><td>{@code rateLimits}</td><td>{@link PledgeRateLimiters}: a per-client limiter per limit (P13)</td></tr>
 *   <tr><td>{@code loginThrottle}</td><td>{@link LoginThrottle} (P13)</td></tr>
 *   <tr><td>{@code oncall}</td><td>{@link OnCallSchedule} (P38), with {@code pledge-sla}</td></tr>
 *   <tr><td>{@code sla}</td><td>{@link Classifier} (P33-P37), with {@code pledge-sla}</td></tr>
 * </table>
 *
 * <p>Every bean backs off when the application declares one of the same type. Components read time
 * from the application's {@link Clock} bean and {@link Ticker} bean when it has exactly one, else from
 * the system. A policy that does not load stops the start with the loader's message (file, line, column,
 * key path); its warnings are logged once.
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

  static Clock clock(ObjectProvider<Clock> clock) {
    return clock.getIfUnique(Clock::systemUTC);
  }

  static Ticker ticker(ObjectProvider<Ticker> ticker) {
    return ticker.getIfUnique(Ticker::system);
  }

  /** Passwords, rate limits and the login throttle, from {@code pledge-security}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(PasswordsSection.class)
  static class SecurityBeans {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("passwords")
    PasswordPolicy pledgePasswordPolicy(PolicyDocument policy) {
      return PasswordPolicy.from(policy.require(PasswordsSection.class));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("passwords")
    PasswordValidator pledgePasswordValidator(PasswordPolicy passwords) {
      return PasswordValidator.create(passwords);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("passwords")
    PasswordHasher pledgePasswordHasher(PasswordPolicy passwords, PledgeProperties properties) {
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
      return policy.require(LoginThrottlePolicy.class).toBuilder().ticker(ticker(ticker)).clock(clock(clock)).build();
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
      return policy.require(OnCallPolicy.class).schedule();
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnPolicySection("sla")
    Classifier pledgeClassifier(PolicyDocument policy) {
      return Classifier.from(policy.require(SlaPolicy.class));
    }
  }
}
