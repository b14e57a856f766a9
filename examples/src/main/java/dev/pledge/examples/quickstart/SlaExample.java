package dev.pledge.examples.quickstart;

import dev.pledge.sla.clock.SlaClock;
import dev.pledge.sla.clock.SlaEvent;
import dev.pledge.sla.clock.SlaStatus;
import dev.pledge.sla.severity.Classification;
import dev.pledge.sla.severity.Classifier;
import dev.pledge.sla.severity.Report;
import dev.pledge.sla.severity.SlaPolicy;
import java.time.Duration;
import java.time.Instant;

/** sla: classify support reports into Gold/Silver/Bronze and run a response clock with a pause. */
public final class SlaExample {
  private SlaExample() {}

  public static void main(String[] args) {
    SlaPolicy sla = Bundled.policy().require(SlaPolicy.class);
    Classifier classifier = Classifier.from(sla);
    for (String text : new String[] {
        "Checkout is down for everyone, 502 errors",
        "The invoice totals are corrupted for March",
        "The date picker does not work as designed"}) {
      Classification c = classifier.classify(Report.of(text));
      System.out.println(c.tier().displayName() + " (" + c.respondWithin().toMinutes() + " min): " + text
          + " <- rules " + c.matchedNames());
    }

    Instant opened = Instant.parse("2026-11-20T09:00:00Z");
    SlaClock clock = SlaClock.open(sla.targets(null), opened, 2)
        .append(new SlaEvent.Paused(opened.plus(Duration.ofHours(1)), "waiting for the customer"))
        .append(new SlaEvent.Resumed(opened.plus(Duration.ofHours(3))));
    SlaStatus status = clock.status(opened.plus(Duration.ofHours(5)));
    System.out.println("Silver report opened " + opened + ": elapsed " + status.elapsed() + " of " + status.target()
        + ", deadline " + status.deadline().orElseThrow() + ", warnings " + status.warnings());
  }
}
