package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.core.lock.JdbcSlotLock;
import dev.pledge.core.lock.SlotLock;
import dev.pledge.security.access.AccessBroker;
import dev.pledge.security.access.ExpirySweeper;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Ends just-in-time access grants past their end (P15, P17) while the application runs: when the
 * application has an {@link AccessBroker} bean and a {@link SlotLock} bean, an {@link ExpirySweeper}
 * sweeps the broker's store on one node per slot, started when the context starts and stopped when
 * it stops or closes ({@link PledgeExpirySweeping}).
 *
 * <p>The lock is the application's {@link SlotLock} bean, or a {@link JdbcSlotLock} on the
 * application's {@link DataSource} in the table {@code pledge.access.expiry.lock-table} when that
 * setting names one. There is never an in-memory lock by default: without a lock every node would
 * sweep, or, with a lock in one JVM, several nodes would each believe they are alone; a single-node
 * application that means it declares {@code SlotLock.inMemory()} as a bean.
 *
 * <table>
 *   <caption>Beans</caption>
 *   <tr><th>When</th><th>Beans</th></tr>
 *   <tr><td>{@code pledge.access.expiry.lock-table} set and one {@link DataSource}, no {@link SlotLock}
 *       bean</td><td>{@link JdbcSlotLock} (its table created when missing)</td></tr>
 *   <tr><td>an {@link AccessBroker} and a {@link SlotLock} bean, {@code pledge.access.expiry.enabled}
 *       not false</td><td>{@link ExpirySweeper} and {@link PledgeExpirySweeping}</td></tr>
 * </table>
 *
 * <p>The sweeper reads time from the application's {@link Clock} bean when it has exactly one.
 */
@AutoConfiguration(after = PledgeAutoConfiguration.class,
    afterName = "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration")
@ConditionalOnClass(ExpirySweeper.class)
@EnableConfigurationProperties(PledgeProperties.class)
public class PledgeAccessAutoConfiguration {

  /**
   * The lock: a member class, so that it is registered before the sweeper's conditions (on this
   * class's own bean methods, which come after its member classes) look for a lock.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(DataSource.class)
  static class LockBeans {

    /** A lock on the application's database, in the table the settings name. */
    @Bean
    @ConditionalOnMissingBean(SlotLock.class)
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnProperty(prefix = "pledge.access.expiry", name = "lock-table")
    JdbcSlotLock pledgeAccessExpiryLock(DataSource dataSource, PledgeProperties properties) {
      String table = properties.getAccess().getExpiry().getLockTable();
      try {
        return JdbcSlotLock.create(dataSource, table);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("pledge.access.expiry.lock-table: " + e.getMessage(), e);
      }
    }
  }

  /** The sweeper, not started: {@link PledgeExpirySweeping} starts it with the context. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean({AccessBroker.class, SlotLock.class})
  @ConditionalOnProperty(prefix = "pledge.access.expiry", name = "enabled", matchIfMissing = true)
  ExpirySweeper pledgeAccessExpirySweeper(AccessBroker broker, SlotLock lock, PledgeProperties properties,
      ObjectProvider<Clock> clock) {
    PledgeProperties.Access.Expiry settings = properties.getAccess().getExpiry();
    ExpirySweeper.Builder b = ExpirySweeper.builder(broker, lock).clock(PledgeAutoConfiguration.clock(clock))
        .period(settings.getPeriod());
    if (settings.getNode() != null && !settings.getNode().isBlank()) {
      b.node(settings.getNode());
    }
    return b.build();
  }

  /** Starts the sweeper with the context and stops it with the context. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBean(ExpirySweeper.class)
  PledgeExpirySweeping pledgeAccessExpirySweeping(ExpirySweeper sweeper) {
    return new PledgeExpirySweeping(sweeper);
  }
}
