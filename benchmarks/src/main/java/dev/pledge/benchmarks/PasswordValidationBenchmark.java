package dev.pledge.benchmarks;

import dev.pledge.security.password.PasswordContext;
import dev.pledge.security.password.PasswordRules;
import dev.pledge.security.password.PasswordValidator;
import dev.pledge.security.password.internal.CommonPasswords;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.passay.CharacterRule;
import org.passay.DictionaryRule;
import org.passay.EnglishCharacterData;
import org.passay.EnglishSequenceData;
import org.passay.IllegalSequenceRule;
import org.passay.LengthRule;
import org.passay.PasswordData;
import org.passay.RepeatCharacterRegexRule;
import org.passay.UsernameRule;
import org.passay.dictionary.WordListDictionary;
import org.passay.dictionary.WordLists;
import org.passay.dictionary.sort.ArraysSort;

/**
 * Validating passwords against the document policy (P24: 12+ characters, four classes, the
 * 30,000-entry common-password blocklist, user name, runs of 4 repeated or sequential characters),
 * Pledge beside Passay configured with the equivalent rules, on the same 10,000 mixed passwords
 * (seeded: common passwords, short ones, keyboard runs, strong ones, some non-ASCII). One operation is
 * one password; every violation is collected by both.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PasswordValidationBenchmark {
  static final int COUNT = 10_000;

  @Param({"pledge", "passay"})
  public String impl;

  private String[] passwords;
  private PasswordValidator pledge;
  private PasswordContext context;
  private org.passay.PasswordValidator passay;

  @Setup
  public void setUp() throws Exception {
    passwords = mixedPasswords(COUNT, 42);
    pledge = PasswordValidator.create(PasswordRules.document().toBuilder().historyDepth(0).build());
    context = PasswordContext.of("ada.lovelace");
    List<String> words = new ArrayList<>();
    try (InputStream in = CommonPasswords.class.getResourceAsStream(CommonPasswords.RESOURCE)) {
      WordLists.readWords(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), words);
    }
    WordListDictionary dictionary = new WordListDictionary(WordLists.createFromReader(
        new Reader[] {new java.io.StringReader(String.join("\n", words))}, false, new ArraysSort()));
    passay = new org.passay.PasswordValidator(
        new LengthRule(12, 128),
        new CharacterRule(EnglishCharacterData.UpperCase, 1),
        new CharacterRule(EnglishCharacterData.LowerCase, 1),
        new CharacterRule(EnglishCharacterData.Digit, 1),
        new CharacterRule(EnglishCharacterData.Special, 1),
        new RepeatCharacterRegexRule(4),
        new IllegalSequenceRule(EnglishSequenceData.Alphabetical, 4, false),
        new IllegalSequenceRule(EnglishSequenceData.Numerical, 4, false),
        new IllegalSequenceRule(EnglishSequenceData.USQwerty, 4, false),
        new DictionaryRule(dictionary),
        new UsernameRule(true, true));
  }

  /** The same seeded mix for every implementation. */
  static String[] mixedPasswords(int n, long seed) throws Exception {
    List<String> common = new ArrayList<>();
    try (InputStream in = CommonPasswords.class.getResourceAsStream(CommonPasswords.RESOURCE)) {
      new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().limit(5000).forEach(common::add);
    }
    Random r = new Random(seed);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&*+-=?@_";
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      switch (i % 5) {
        case 0 -> out[i] = common.get(r.nextInt(common.size()));
        case 1 -> out[i] = capitalise(common.get(r.nextInt(common.size()))) + r.nextInt(100) + "!";
        case 2 -> out[i] = "Qwerty" + (1000 + r.nextInt(9000)) + "#";
        case 3 -> {
          StringBuilder b = new StringBuilder();
          int len = 10 + r.nextInt(12);
          for (int k = 0; k < len; k++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
          }
          out[i] = b.toString();
        }
        default -> out[i] = "Été-" + common.get(r.nextInt(common.size())) + "-" + r.nextInt(1000) + "Ω";
      }
    }
    return out;
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  @Benchmark
  @OperationsPerInvocation(COUNT)
  public void validate(Blackhole bh) {
    if (impl.equals("pledge")) {
      for (String p : passwords) {
        bh.consume(pledge.validate(p, context));
      }
    } else {
      for (String p : passwords) {
        bh.consume(passay.validate(new PasswordData("ada.lovelace", p)));
      }
    }
  }
}
