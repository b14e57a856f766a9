package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.schedule.BackupFreshness;
import dev.pledge.backup.schedule.BackupScheduler;
import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.sla.notify.AlertRouter;
import dev.pledge.sla.notify.SlackNotifier;
import dev.pledge.sla.notify.SmsNotifier;
import dev.pledge.spring.actuate.BackupFreshnessHealthIndicator;
import dev.pledge.spring.actuate.PledgeAlertMeters;
import dev.pledge.spring.actuate.PledgeBackupMeters;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.sla.oncall.OnCallPolicy;
import dev.pledge.spring.actuate.OnCallHealthIndicator;
import dev.pledge.spring.actuate.PledgeMeters;
import dev.pledge.spring.actuate.PolicyHealthIndicator;
import dev.pledge.spring.actuate.UptimeHealthIndicator;
import dev.pledge.sla.uptime.ProbeSpec;
import dev.pledge.sla.uptime.UptimeMonitor;
import dev.pledge.sla.uptime.UptimePolicy;
import dev.pledge.spring.ratelimit.PledgeRateLimiters;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Actuator health indicators and Micrometer meters for Pledge, each when its library is on the class
 * path: {@code pledgePolicy} (the document loaded), {@code pledgeOnCall} (P38 coverage of the coming
 * weeks, with {@code pledge-sla} and an {@code oncall} section), {@code pledgeUptime} (the state of each
 * site the {@code uptime} section probes, when the application has an {@link UptimeMonitor} bean),
 * {@code pledgeBackups} (each backup schedule's newest backup in the stores against its interval, with
 * {@code pledge-backup} and a {@code backups} section), {@link PledgeMeters} (limiter decisions and login
 * lockouts), {@link PledgeBackupMeters} (backup runs, durations and failures from the schedulers; sizes,
 * operations and durations from the engines; newest sizes and ages from the stores) and
 * {@link PledgeAlertMeters} (alerts sent, suppressed and failed by the application's Slack and SMS
 * notifiers and alert routers).
 */
@AutoConfiguration(after = PledgeAutoConfiguration.class)
@ConditionalOnBean(PolicyDocument.class)
public class PledgeActuatorAutoConfiguration {

  /** Health indicators, with {@code spring-boot-actuator}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Health {

    @Bean
    @ConditionalOnMissingBean(name = "pledgePolicyHealthIndicator")
    PolicyHealthIndicator pledgePolicyHealthIndicator(PolicyDocument policy) {
      return new PolicyHealthIndicator(policy);
    }

    /** On-call coverage, with {@code pledge-sla}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OnCallPolicy.class)
    @ConditionalOnPolicySection("oncall")
    static class OnCall {
      @Bean
      @ConditionalOnMissingBean(name = "pledgeOnCallHealthIndicator")
      OnCallHealthIndicator pledgeOnCallHealthIndicator(PolicyDocument policy, PledgeProperties properties,
          ObjectProvider<Clock> clock) {
        return new OnCallHealthIndicator(policy.require(OnCallPolicy.class), PledgeAutoConfiguration.clock(clock),
            new Status(properties.getHealth().getOnCallGapStatus()));
      }
    }
  }

  /** The sites' states, when the application runs an {@link UptimeMonitor}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, UptimeMonitor.class})
  @ConditionalOnBean(UptimeMonitor.class)
  @ConditionalOnPolicySection("uptime")
  static class Uptime {
    @Bean
    @ConditionalOnMissingBean(name = "pledgeUptimeHealthIndicator")
    UptimeHealthIndicator pledgeUptimeHealthIndicator(UptimeMonitor monitor, PolicyDocument policy,
        PledgeProperties properties) {
      return new UptimeHealthIndicator(monitor,
          policy.require(UptimePolicy.class).probes().stream().map(ProbeSpec::site).distinct().toList(),
          new Status(properties.getHealth().getSiteDownStatus()));
    }
  }

  /** Backup freshness, with {@code pledge-backup} and a {@code backups} section. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({HealthIndicator.class, BackupFreshness.class})
  @ConditionalOnBean(BackupFreshness.class)
  static class Backups {
    @Bean
    @ConditionalOnMissingBean(name = "pledgeBackupsHealthIndicator")
    BackupFreshnessHealthIndicator pledgeBackupsHealthIndicator(BackupFreshness freshness, PledgeProperties properties) {
      return new BackupFreshnessHealthIndicator(freshness, properties.getHealth().getBackupCheckInterval(),
          new Status(properties.getHealth().getBackupStaleStatus()));
    }
  }

  /** Backup meters, with Micrometer and {@code pledge-backup}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterBinder.class, BackupScheduler.class})
  static class BackupMeters {
    @Bean
    @ConditionalOnMissingBean(name = "pledgeBackupMeters")
    PledgeBackupMeters pledgeBackupMeters(ListableBeanFactory beans, ObjectProvider<BackupFreshness> freshness,
        PledgeProperties properties) {
      return new PledgeBackupMeters(beans.getBeansOfType(BackupScheduler.class), beans.getBeansOfType(BackupEngine.class),
          freshness.getIfUnique(), properties.getHealth().getBackupCheckInterval());
    }
  }

  /** Alert meters, with Micrometer and {@code pledge-sla}. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({MeterBinder.class, SlackNotifier.class})
  static class AlertMeters {
    @Bean
    @ConditionalOnMissingBean(name = "pledgeAlertMeters")
    PledgeAlertMeters pledgeAlertMeters(ListableBeanFactory beans) {
      return new PledgeAlertMeters(beans.getBeansOfType(SlackNotifier.class), beans.getBeansOfType(SmsNotifier.class),
          beans.getBeansOfType(AlertRouter.class));
    }
  }

  /** Meters, with Micrometer. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(MeterBinder.class)
  static class Meters {
    @Bean
    @ConditionalOnMissingBean(name = "pledgeMeters")
    PledgeMeters pledgeMeters(ObjectProvider<PledgeRateLimiters> limiters, ObjectProvider<LoginThrottle> throttle) {
      return new PledgeMeters(limiters.getIfUnique(), throttle.getIfUnique());
    }
  }
}
