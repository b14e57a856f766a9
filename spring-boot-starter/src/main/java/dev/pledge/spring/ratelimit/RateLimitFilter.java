package dev.pledge.spring.ratelimit;

import dev.pledge.security.ratelimit.KeyedLimiter;
import dev.pledge.security.ratelimit.RateLimitDecision;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * A servlet filter that rate limits the requests whose path matches one of its patterns, per client, with
 * one limit of the policy (P13). Each matched request takes one permit of its client's state in a
 * {@link KeyedLimiter} (in this process, or shared by every node with {@code pledge-security-redis}); a request without a permit is answered {@code 429 Too Many Requests} with
 * {@code Retry-After} (whole seconds, rounded up) and a small {@code application/problem+json} body, and
 * never reaches the application. Every matched response, allowed or not, carries the
 * {@link RateLimitHeaders RateLimit-Policy and RateLimit fields}; other requests pass untouched.
 *
 * <p>Paths are matched against the request path without the context path, with Spring's
 * {@link PathPattern} syntax ({@code /api/**}, {@code /login}), as Spring MVC's handler mappings match
 * them (case-sensitive, no trailing-slash match). The client is named by a
 * {@link ClientKeyResolver}. Runs once per request (not again on error or forward dispatches).
 * Thread-safe: the filter holds no state of its own.
 */
public final class RateLimitFilter extends OncePerRequestFilter {
  private final KeyedLimiter<String> limiter;
  private final List<PathPattern> paths;
  private final ClientKeyResolver clients;
  private final RateLimitHeaders headers;

  private RateLimitFilter(KeyedLimiter<String> limiter, List<PathPattern> paths, ClientKeyResolver clients) {
    this.limiter = limiter;
    this.paths = paths;
    this.clients = clients;
    this.headers = RateLimitHeaders.of(limiter.name(), limiter.limits());
  }

  /**
   * A filter that limits requests matching {@code pathPatterns} with {@code limiter}, per client named by
   * {@code clients}.
   *
   * @throws IllegalArgumentException when there is no pattern or a pattern is malformed (naming it)
   */
  public static RateLimitFilter create(KeyedLimiter<String> limiter, List<String> pathPatterns,
      ClientKeyResolver clients) {
    Objects.requireNonNull(limiter, "limiter");
    Objects.requireNonNull(clients, "clients");
    if (pathPatterns == null || pathPatterns.isEmpty()) {
      throw new IllegalArgumentException("pledge.rate-limit.paths: name at least one path pattern, such as /api/**");
    }
    PathPatternParser parser = new PathPatternParser();
    List<PathPattern> parsed = pathPatterns.stream().map(p -> {
      try {
        return parser.parse(p.trim());
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("pledge.rate-limit.paths: '" + p + "' is not a path pattern: " + e.getMessage());
      }
    }).toList();
    return new RateLimitFilter(limiter, parsed, clients);
  }

  /** The limiter the filter takes permits from. */
  public KeyedLimiter<String> limiter() {
    return limiter;
  }

  /** The header fields the filter writes. */
  public RateLimitHeaders headers() {
    return headers;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    // the path as Spring MVC's handler mappings see it, so a request reaches a limited handler only through the filter
    PathContainer container = RequestPath.parse(request.getRequestURI(), request.getContextPath()).pathWithinApplication();
    for (PathPattern p : paths) {
      if (p.matches(container)) {
        return false;
      }
    }
    return true;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    RateLimitDecision decision = limiter.decide(clients.resolve(request), 1);
    response.setHeader(RateLimitHeaders.POLICY, headers.policy());
    response.setHeader(RateLimitHeaders.STATE, headers.state(decision));
    if (decision.allowed()) {
      chain.doFilter(request, response);
      return;
    }
    long retry = Math.max(1, decision.retryAfterSeconds());
    response.setStatus(429);
    response.setHeader("Retry-After", Long.toString(retry));
    response.setContentType("application/problem+json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
        + "\"detail\":\"rate limit '" + limiter.name().replaceAll("[^A-Za-z0-9._-]", "") + "' reached; retry after " + retry
        + " s\"}");
  }
}
