/**
 * Pledge security: passwords, two-factor, rate limits and login throttling, just-in-time access and
 * breach response (P13-P26, P28-P32). Exports API packages only; the {@code internal} packages are
 * closed to hosts. Policy sections are provided to core's loader; stores for another engine come
 * from {@link dev.pledge.security.store.StoreProvider}s such as {@code pledge-security-redis}.
 */
module dev.pledge.security {
  requires transitive dev.pledge.core;
  requires bcrypt;
  requires org.bouncycastle.provider;
  requires com.github.benmanes.caffeine;
  requires io.github.resilience4j.ratelimiter;
  requires io.github.resilience4j.circuitbreaker;
  requires io.github.resilience4j.core;
  requires com.nulabinc.zxcvbn;
  requires org.slf4j;
  requires java.net.http;
  // SMTP for breach notifications: optional, only hosts that e-mail customers carry it
  requires static jakarta.mail;

  exports dev.pledge.security.access;
  exports dev.pledge.security.apikey;
  exports dev.pledge.security.breach;
  exports dev.pledge.security.password;
  exports dev.pledge.security.ratelimit;
  exports dev.pledge.security.store;
  exports dev.pledge.security.totp;
  exports dev.pledge.security.ratelimit.internal to dev.pledge.security.redis;

  // the policy's sections are records that Jackson builds
  opens dev.pledge.security.access to com.fasterxml.jackson.databind;
  opens dev.pledge.security.breach to com.fasterxml.jackson.databind;
  opens dev.pledge.security.password to com.fasterxml.jackson.databind;
  opens dev.pledge.security.ratelimit to com.fasterxml.jackson.databind;
  opens dev.pledge.security.totp to com.fasterxml.jackson.databind;
  // the folder stores' documents, which Jackson reads and writes
  opens dev.pledge.security.access.internal to com.fasterxml.jackson.databind;
  opens dev.pledge.security.breach.internal to com.fasterxml.jackson.databind;

  uses dev.pledge.security.store.StoreProvider;
  provides dev.pledge.core.policy.PolicySectionProvider with
      dev.pledge.security.internal.PasswordSections,
      dev.pledge.security.internal.RateLimitSections,
      dev.pledge.security.internal.AccessSections;
  provides dev.pledge.core.evidence.PromiseCheck with dev.pledge.security.internal.SettingsCheck,
      dev.pledge.security.internal.AccessStoreCheck, dev.pledge.security.internal.BreachJournalCheck,
      dev.pledge.security.internal.AdministratorCheck;
}
