package dev.pledge.examples.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pledge.security.ratelimit.LoginThrottle;
import dev.pledge.security.ratelimit.LoginThrottlePolicy;
import dev.pledge.security.ratelimit.RedisFailureMode;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code pledge throttle}: failed-login throttling (P13) for operators (an administrator's unlock) and
 * outside checks (two processes driving one shared store).
 */
@Command(name = "throttle", mixinStandardHelpOptions = true,
    description = "Failed-login throttling (P13): record failures and successes, check, unlock.",
    subcommands = {ThrottleCommand.Fail.class, ThrottleCommand.Succeed.class, ThrottleCommand.Check.class,
        ThrottleCommand.Reset.class})
final class ThrottleCommand implements Runnable {

  ThrottleCommand(Io io) {}

  @Override
  public void run() {
    throw CliException.badInput("throttle: a subcommand is required (fail, succeed, check, reset); "
        + "see 'pledge throttle --help'");
  }

  /** The options every subcommand takes. */
  static final class StoreOptions {
    @Option(names = "--account", paramLabel = "A", required = true, description = "The account (compared after normalisation).")
    String account;

    @Option(names = "--store", paramLabel = "STORE",
        description = "redis://host:port[/db] (default: the policy's loginThrottle.store, else this process only).")
    String store;
  }

  /** A throttle on the policy's section and the chosen store; a store that stops answering fails the command (exit 3). */
  static final class Session implements AutoCloseable {
    final LoginThrottle throttle;
    private final AtomicReference<String> outage = new AtomicReference<>();

    Session(CommonOptions options, StoreOptions s) {
      LoginThrottlePolicy policy = options.loadPolicy().section(LoginThrottlePolicy.class)
          .orElseGet(LoginThrottlePolicy::defaults);
      String address = s.store != null ? s.store : policy.storeAddress().orElse(null);
      LoginThrottle.Builder b = LoginThrottle.builder(policy).failureMode(RedisFailureMode.LOCAL);
      if (address != null) {
        if (!address.startsWith("redis://") && !address.startsWith("rediss://")) {
          throw CliException.badInput((s.store != null ? "--store" : "loginThrottle.store")
              + ": must be redis://host:port[/db], got '" + address.replaceAll("//[^/@]*@", "//***@") + "'");
        }
        b.openStore(address);
      }
      this.throttle = b.build();
      throttle.onStoreFallback(e -> outage.compareAndSet(null, e.cause()));
    }

    /** Fails with exit 3 when the store stopped answering during the command. */
    void requireStoreAnswered() {
      String cause = outage.get();
      if (cause != null) {
        throw CliException.failure(cause);
      }
    }

    @Override
    public void close() {
      throttle.close();
    }
  }

  static int print(Io io, CommonOptions options, LoginThrottle.LoginDecision d) {
    if (options.json()) {
      ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
      out.put("allowed", d.allowed());
      out.put("retryAfter", d.retryAfter().toString());
      out.put("accountFailures", d.accountFailures());
      out.put("sourceFailures", d.sourceFailures());
      io.out().println(CommonOptions.toJson(out));
    } else {
      io.out().println((d.allowed() ? "allowed" : "throttled, retry after " + d.retryAfter()) + " (account failures "
          + d.accountFailures() + ", source failures " + d.sourceFailures() + ")");
    }
    return d.allowed() ? PledgeCli.OK : PledgeCli.NEGATIVE;
  }

  /** {@code pledge throttle fail}. */
  @Command(name = "fail", mixinStandardHelpOptions = true,
      description = "Record a failed login. Exit 0 when the next attempt is allowed now, 1 when it is throttled.")
  static final class Fail implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Mixin StoreOptions store;
    @Option(names = "--source", paramLabel = "S", required = true, description = "Where the attempt came from (an IP address).")
    String source;

    Fail(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (Session s = new Session(options, store)) {
        LoginThrottle.LoginDecision d = s.throttle.recordFailure(store.account, source);
        s.requireStoreAnswered();
        return print(io, options, d);
      }
    }
  }

  /** {@code pledge throttle succeed}. */
  @Command(name = "succeed", mixinStandardHelpOptions = true,
      description = "Record a successful login: the account's and the source's failures start again at 0.")
  static final class Succeed implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Mixin StoreOptions store;
    @Option(names = "--source", paramLabel = "S", required = true, description = "Where the login came from.")
    String source;

    Succeed(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (Session s = new Session(options, store)) {
        s.throttle.recordSuccess(store.account, source);
        s.requireStoreAnswered();
        LoginThrottle.LoginDecision d = s.throttle.check(store.account, source);
        s.requireStoreAnswered();
        print(io, options, d);
        return PledgeCli.OK;
      }
    }
  }

  /** {@code pledge throttle check}. */
  @Command(name = "check", mixinStandardHelpOptions = true,
      description = "Whether a login may be attempted now. Exit 0 when allowed, 1 when throttled.")
  static final class Check implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Mixin StoreOptions store;
    @Option(names = "--source", paramLabel = "S", required = true, description = "Where the attempt comes from.")
    String source;

    Check(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (Session s = new Session(options, store)) {
        LoginThrottle.LoginDecision d = s.throttle.check(store.account, source);
        s.requireStoreAnswered();
        return print(io, options, d);
      }
    }
  }

  /** {@code pledge throttle reset}. */
  @Command(name = "reset", mixinStandardHelpOptions = true, description = "An administrator's unlock of an account.")
  static final class Reset implements Callable<Integer> {
    private final Io io;
    @Mixin CommonOptions options;
    @Mixin StoreOptions store;

    Reset(Io io) {
      this.io = io;
    }

    @Override
    public Integer call() {
      try (Session s = new Session(options, store)) {
        s.throttle.reset(store.account);
        String key = s.throttle.keys().account(store.account);
        if (options.json()) {
          ObjectNode out = CommonOptions.jsonMapper().createObjectNode();
          out.put("account", key);
          out.put("reset", true);
          io.out().println(CommonOptions.toJson(out));
        } else {
          io.out().println("unlocked " + key);
        }
        return PledgeCli.OK;
      }
    }
  }
}
