package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.security.password.PasswordHasher;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.spring.password.PledgePasswordEncoder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * With Spring Security's crypto module on the class path and a policy with a {@code passwords} section,
 * exposes a {@link PasswordEncoder}: a {@code DelegatingPasswordEncoder} that writes
 * {@code {bcrypt}$2b$12$...} (or {@code {argon2}...}) with Pledge's hasher at the policy's cost and reads
 * both ids and bare hashes (P23). Backs off when the application declares its own {@link PasswordEncoder}.
 */
@AutoConfiguration(after = PledgeAutoConfiguration.class)
@ConditionalOnClass(PasswordEncoder.class)
@ConditionalOnBean({PasswordHasher.class, PasswordRules.class})
public class PledgePasswordEncoderAutoConfiguration {

  /** The delegating encoder over {@link PledgePasswordEncoder}. */
  @Bean
  @ConditionalOnMissingBean(PasswordEncoder.class)
  public PasswordEncoder pledgePasswordEncoder(PasswordHasher hasher, PasswordRules passwords) {
    return PledgePasswordEncoder.delegating(hasher, passwords.hashing().algorithm());
  }
}
