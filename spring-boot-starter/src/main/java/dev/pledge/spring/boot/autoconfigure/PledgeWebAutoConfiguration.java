package dev.pledge.spring.boot.autoconfigure;

import dev.pledge.spring.ratelimit.ClientKeyResolver;
import dev.pledge.spring.ratelimit.PledgeRateLimiters;
import dev.pledge.spring.ratelimit.RateLimitFilter;
import java.util.List;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Registers {@link RateLimitFilter} in a servlet web application when the policy has a
 * {@code rateLimits} section and {@code pledge.rate-limit.paths} names at least one path pattern: the
 * matched requests take a permit of the policy limit {@code pledge.rate-limit.limit} (default
 * {@code api}) per client, named by the {@link ClientKeyResolver} bean (default: the authenticated
 * principal, else the remote address). {@code pledge.rate-limit.enabled=false} turns it off.
 */
@AutoConfiguration(after = PledgeAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({OncePerRequestFilter.class, FilterRegistrationBean.class})
@ConditionalOnBean(PledgeRateLimiters.class)
@ConditionalOnProperty(prefix = "pledge.rate-limit", name = "enabled", matchIfMissing = true)
public class PledgeWebAutoConfiguration {

  /** The principal, or else the remote address. */
  @Bean
  @ConditionalOnMissingBean
  public ClientKeyResolver pledgeClientKeyResolver() {
    return ClientKeyResolver.principalOrRemoteAddress();
  }

  /**
   * The filter, registered for every request at {@code pledge.rate-limit.filter-order}; it matches
   * {@code pledge.rate-limit.paths} itself.
   *
   * @throws IllegalArgumentException when the policy has no limit of the configured name, or a pattern is malformed
   */
  @Bean
  @ConditionalOnMissingBean(name = "pledgeRateLimitFilter")
  @Conditional(OnRateLimitPaths.class)
  public FilterRegistrationBean<RateLimitFilter> pledgeRateLimitFilter(PledgeRateLimiters limiters,
      PledgeProperties properties, ClientKeyResolver clients) {
    PledgeProperties.RateLimit settings = properties.getRateLimit();
    RateLimitFilter filter;
    try {
      filter = RateLimitFilter.create(limiters.keyed(settings.getLimit()), settings.getPaths(), clients);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pledge.rate-limit: " + e.getMessage(), e);
    }
    FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
    registration.setName("pledgeRateLimitFilter");
    registration.setOrder(settings.getFilterOrder());
    registration.addUrlPatterns("/*");
    return registration;
  }

  /** Matches when {@code pledge.rate-limit.paths} names at least one pattern. */
  static class OnRateLimitPaths extends SpringBootCondition {
    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
      List<String> paths = Binder.get(context.getEnvironment())
          .bind("pledge.rate-limit.paths", Bindable.listOf(String.class)).orElse(List.of());
      return paths.isEmpty()
          ? ConditionOutcome.noMatch("pledge.rate-limit.paths is empty")
          : ConditionOutcome.match("pledge.rate-limit.paths is " + paths);
    }
  }
}
