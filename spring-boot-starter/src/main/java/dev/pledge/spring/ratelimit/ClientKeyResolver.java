package dev.pledge.spring.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;

/**
 * Names the client a request counts against in {@link RateLimitFilter}. Declare a bean of this type to
 * key by something else (an API key header, a tenant). Implementations must be thread-safe and must not
 * return {@code null}.
 */
@FunctionalInterface
public interface ClientKeyResolver {

  /** The client's key for {@code request}. */
  String resolve(HttpServletRequest request);

  /**
   * The authenticated principal's name ({@code principal:NAME}) when there is one, otherwise the remote
   * address ({@code address:IP}). Behind a proxy, set {@code server.forward-headers-strategy} so that the
   * remote address is the client's, not the proxy's.
   */
  static ClientKeyResolver principalOrRemoteAddress() {
    return request -> {
      Principal p = request.getUserPrincipal();
      if (p != null && p.getName() != null && !p.getName().isEmpty()) {
        return "principal:" + p.getName();
      }
      return "address:" + request.getRemoteAddr();
    };
  }
}
