package dev.pledge.core.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pledge.core.policy.PolicyDocument;
import dev.pledge.core.policy.PolicyLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssessmentTest {
  private static final Instant TO = Instant.parse("2026-12-03T10:00:00Z");
  private static final PolicyDocument POLICY = PolicyLoader.create().load("p.yaml", "hosting: {tlsOnly: true}\n");
  private static final CheckContext CTX = new CheckContext(POLICY, Path.of("."),
      AssessmentPeriod.ending(TO, Duration.ofDays(1)), Clock.fixed(TO, ZoneOffset.UTC));

  /** A check answering {@code verdicts} for promises 1, 2, ... or throwing {@code error}. */
  private record Fixed(String name, List<Integer> promises, List<Judgement> answer, RuntimeException error)
      implements PromiseCheck {
    @Override
    public List<Judgement> judge(CheckContext ctx) {
      if (error != null) {
        throw error;
      }
      return answer;
    }
  }

  private static Judgement kept(int p) {
    return Judgement.kept(p, "fine", List.of(Evidence.of("read", "1 item")));
  }

  @Test
  void aCheckThatThrowsIsAnErrorNamingTheExceptionAndTheOthersStillRun() {
    Assessment a = Assessment.run(CTX, List.of(
        new Fixed("broken", List.of(4, 33), List.of(), new IllegalStateException("store unreachable")),
        new Fixed("fine", List.of(38), List.of(kept(38)), null)));

    assertThat(a.verdict(4)).isEqualTo(Verdict.ERROR);
    assertThat(a.verdict(33)).isEqualTo(Verdict.ERROR);
    assertThat(a.judgements(4).get(0).summary()).isEqualTo("check broken failed: IllegalStateException: store unreachable");
    assertThat(a.verdict(38)).isEqualTo(Verdict.KEPT);
    assertThat(a.checks()).containsExactly("broken", "fine");
  }

  @Test
  void aViolationFromOneCheckIsNotHiddenByAnotherThatFoundItKept() {
    Judgement violated = Judgement.notKept(6, "a slot missed", List.of(Evidence.of("first missed slots", "shop/production")));
    Assessment a = Assessment.run(CTX, List.of(new Fixed("a", List.of(6), List.of(kept(6)), null),
        new Fixed("b", List.of(6), List.of(violated), null)));
    assertThat(a.verdict(6)).isEqualTo(Verdict.NOT_KEPT);
    assertThat(a.judgements(6)).hasSize(2);
  }

  @Test
  void aPromiseNoCheckJudgesHasNoEvidenceAndOneACheckForgotIsAnError() {
    Assessment a = Assessment.run(CTX, List.of(new Fixed("forgetful", List.of(7, 8), List.of(kept(7)), null),
        new Fixed("empty", List.of(9), List.of(Judgement.noEvidence(9, "no store")), null)));
    assertThat(a.verdict(7)).isEqualTo(Verdict.KEPT);
    assertThat(a.verdict(8)).isEqualTo(Verdict.ERROR);
    assertThat(a.verdict(9)).isEqualTo(Verdict.NO_EVIDENCE);
    assertThat(a.verdict(40)).isEqualTo(Verdict.NO_EVIDENCE);
    assertThat(a.judgements(40)).isEmpty();
  }

  @Test
  void coresOwnCheckIsRegisteredAndJudgesTlsFromTheSettingsInForce() {
    assertThat(Assessment.registered()).extracting(PromiseCheck::name).contains("core.hosting");
    Assessment a = Assessment.run(CTX);
    assertThat(a.verdict(22)).isEqualTo(Verdict.KEPT);
    PolicyDocument plain = PolicyLoader.create().load("p.yaml", "hosting: {tlsOnly: false}\n");
    Assessment b = Assessment.run(new CheckContext(plain, Path.of("."), CTX.period(), CTX.clock()));
    assertThat(b.verdict(22)).isEqualTo(Verdict.NOT_KEPT);
  }

  @Test
  void keptNeedsEvidenceAndAPeriodRunsForward() {
    assertThatThrownBy(() -> Judgement.kept(1, "trust me", List.of())).hasMessageContaining("without evidence");
    assertThatThrownBy(() -> new AssessmentPeriod(TO, TO)).hasMessageContaining("must start before it ends");
    AssessmentPeriod p = AssessmentPeriod.ending(TO, Duration.ofHours(1));
    assertThat(p.contains(TO)).isFalse();
    assertThat(p.contains(TO.minusSeconds(3600))).isTrue();
  }
}
