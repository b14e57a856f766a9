package dev.pledge.backup.internal;

import dev.pledge.backup.BackupEngine;
import dev.pledge.backup.BackupException;
import dev.pledge.backup.BackupManifest;
import dev.pledge.backup.BackupPolicy;
import dev.pledge.backup.crypto.KeyWrapper;
import dev.pledge.backup.schedule.PolicySchedules;
import dev.pledge.backup.schedule.Schedule;
import dev.pledge.backup.store.BackupStore;
import dev.pledge.backup.store.Stores;
import dev.pledge.core.audit.AuditTrail;
import dev.pledge.core.Scope;
import dev.pledge.core.evidence.AssessmentPeriod;
import dev.pledge.core.evidence.CheckContext;
import dev.pledge.core.evidence.Evidence;
import dev.pledge.core.evidence.Judgement;
import dev.pledge.core.evidence.PromiseCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Judges the backup promises from the stores the policy's {@code backups.locations} name (P6, P7, P8,
 * P10): every slot of every schedule due in the period has an authenticated backup of its site
 * environment in at least {@code minimumLocations} stores. A slot is covered by a backup started in
 * {@code [slot, next slot)}; a slot is due once a minute has passed since it. When the period holds
 * no due slot of a schedule (a period shorter than a day, say), the schedule's latest due slot before
 * the period's end is judged instead, so a short period still shows the schedule runs.
 *
 * <p>Every manifest is authenticated with the policy's key before it counts; a manifest that fails
 * is a violation of P8. Stateless and thread-safe.
 */
public final class BackupStoresCheck implements PromiseCheck {
  private static final Duration GRACE = Duration.ofMinutes(1);
  private static final int FIRST = 5;

  @Override
  public String name() {
    return "backup.stores";
  }

  @Override
  public List<Integer> promises() {
    return List.of(6, 7, 8, 10);
  }

  @Override
  public List<Judgement> judge(CheckContext ctx) throws Exception {
    BackupPolicy policy = ctx.policy().section(BackupPolicy.class).orElse(null);
    if (policy == null || policy.schedules().isEmpty()) {
      return promises().stream().map(p -> Judgement.noEvidence(p, "the policy names no backup schedules")).toList();
    }
    KeyWrapper key = policy.key().keyWrapper(ctx.baseDirectory());
    BackupEngine engine = BackupEngine.builder(key).clock(ctx.clock()).auditTrail(AuditTrail.toLog()).build();
    List<BackupStore> stores = new ArrayList<>();
    try {
      for (String location : policy.locations()) {
        stores.add(Stores.parse(resolve(location, ctx.baseDirectory())));
      }
      return judge(ctx.period(), policy, engine, stores);
    } finally {
      for (BackupStore s : stores) {
        if (s instanceof AutoCloseable c) {
          c.close();
        }
      }
    }
  }

  private List<Judgement> judge(AssessmentPeriod period, BackupPolicy policy, BackupEngine engine,
      List<BackupStore> stores) {
    List<Schedule> schedules = PolicySchedules.from(policy);
    Set<Scope> scopes = new LinkedHashSet<>();
    schedules.forEach(s -> scopes.add(s.scope()));
    // Per scope, per store: the start times of its authenticated backups.
    Map<Scope, List<NavigableSet<Instant>>> times = new HashMap<>();
    List<String> unauthenticated = new ArrayList<>();
    List<String> missingData = new ArrayList<>();
    int manifests = 0;
    Set<String> encryption = new TreeSet<>();
    for (Scope scope : scopes) {
      List<NavigableSet<Instant>> perStore = new ArrayList<>();
      for (BackupStore store : stores) {
        NavigableSet<Instant> set = new TreeSet<>();
        try {
          Set<String> objects = new java.util.HashSet<>(store.list(scope.site() + "/" + scope.environment() + "/"));
          for (BackupManifest m : engine.listAuthenticated(store, scope)) {
            if (!objects.contains(m.dataObject())) {
              missingData.add(store.location() + " " + m.id());
              continue; // a manifest whose data is gone is no backup
            }
            set.add(m.startedAt());
            encryption.add(m.encryption());
            manifests++;
          }
        } catch (java.io.IOException e) {
          throw new BackupException("cannot list " + store.location() + ": " + e.getMessage(), e);
        } catch (dev.pledge.backup.BackupIntegrityException e) {
          // An altered manifest (or one under another's name) fails authentication: nothing in that
          // store's listing of this scope can be trusted.
          unauthenticated.add(store.location() + " " + scope + ": " + e.getMessage());
        }
        perStore.add(set);
      }
      times.put(scope, perStore);
    }

    int need = policy.minimumLocations();
    List<String> missedDaily = new ArrayList<>();
    List<String> missedRolling = new ArrayList<>();
    List<String> fewCopies = new ArrayList<>();
    long dailySlots = 0;
    long rollingSlots = 0;
    for (Schedule schedule : schedules) {
      boolean rolling = schedule.trigger() instanceof dev.pledge.backup.schedule.Trigger.Every every
          && every.period().compareTo(Duration.ofHours(1)) < 0;
      for (Instant slot : dueSlots(schedule, period)) {
        Instant next = schedule.trigger().nextSlotAfter(slot);
        int copies = 0;
        for (NavigableSet<Instant> store : times.get(schedule.scope())) {
          Instant found = store.ceiling(slot);
          if (found != null && found.isBefore(next)) {
            copies++;
          }
        }
        if (rolling) {
          rollingSlots++;
        } else {
          dailySlots++;
        }
        String where = schedule.scope() + " " + slot;
        if (copies == 0) {
          (rolling ? missedRolling : missedDaily).add(where);
        } else if (copies < need) {
          fewCopies.add(where + " (" + copies + " of " + need + ")");
        }
      }
    }

    List<Evidence> read = List.of(Evidence.of("stores read", String.join(", ", stores.stream().map(BackupStore::location).toList())),
        Evidence.of("period", period.from() + " to " + period.to()),
        Evidence.of("authenticated backups", manifests));
    List<Judgement> out = new ArrayList<>();
    if (!missingData.isEmpty()) {
      read = new ArrayList<>(read);
      read.add(Evidence.of("manifests whose data object is missing", missingData.size()));
      first(read, "first backups without data", missingData);
    }
    out.add(slots(6, dailySlots, missedDaily, read, "daily", "every site environment"));
    out.add(slots(7, rollingSlots, missedRolling, read, "5-minute", "every production database"));
    List<Evidence> p8 = new ArrayList<>(read);
    p8.add(Evidence.of("encryption", encryption.isEmpty() ? "none seen" : String.join(", ", encryption)));
    p8.add(Evidence.of("manifests failing authentication", unauthenticated.size()));
    first(p8, "first failures", unauthenticated);
    out.add(manifests == 0 && unauthenticated.isEmpty() ? Judgement.noEvidence(8, "no backup in the stores to read")
        : Judgement.judged(8, unauthenticated.isEmpty() && encryption.stream().allMatch(e -> e.startsWith("AES")),
            "every backup read is encrypted (" + String.join(", ", encryption) + ") and its manifest authenticates",
            unauthenticated.isEmpty() ? "a backup is stored without AES encryption: " + encryption
                : unauthenticated.size() + " store listings hold a manifest that fails authentication", p8));
    List<Evidence> p10 = new ArrayList<>(read);
    p10.add(Evidence.of("locations", stores.size() + " (at least " + need + " required)"));
    p10.add(Evidence.of("slots with too few copies", fewCopies.size()));
    first(p10, "first slots with too few copies", fewCopies);
    long slots = dailySlots + rollingSlots;
    out.add(slots == 0 ? Judgement.noEvidence(10, "no backup slot was due in the period")
        : Judgement.judged(10, fewCopies.isEmpty() && stores.size() >= need && unauthenticated.isEmpty(),
            "every backup due in the period is held in at least " + need + " of " + stores.size() + " locations",
            stores.size() < need ? "the policy names " + stores.size() + " locations, fewer than " + need
                : fewCopies.size() + " slots have fewer than " + need + " copies", p10));
    return out;
  }

  private static Judgement slots(int promise, long due, List<String> missed, List<Evidence> read, String kind,
      String who) {
    if (due == 0) {
      return Judgement.noEvidence(promise, "no " + kind + " backup slot was due in the period");
    }
    List<Evidence> ev = new ArrayList<>(read);
    ev.add(Evidence.of(kind + " slots covered", (due - missed.size()) + " of " + due));
    first(ev, "first missed slots", missed);
    return Judgement.judged(promise, missed.isEmpty(), kind + " backups of " + who + ": every slot due in the period covered",
        missed.size() + " " + kind + " slots have no backup in any store", ev);
  }

  private static void first(List<Evidence> ev, String name, List<String> items) {
    if (!items.isEmpty()) {
      ev.add(Evidence.of(name, String.join("; ", items.subList(0, Math.min(FIRST, items.size())))
          + (items.size() > FIRST ? "; ..." : "")));
    }
  }

  /** The slots of {@code schedule} due in the period, or the latest due one before its end when none. */
  static List<Instant> dueSlots(Schedule schedule, AssessmentPeriod period) {
    Instant lastDue = schedule.trigger().latestSlotAtOrBefore(period.to().minus(GRACE));
    List<Instant> out = new ArrayList<>();
    for (Instant s = schedule.trigger().latestSlotAtOrBefore(period.from());
        s != null && !s.isAfter(lastDue); s = schedule.trigger().nextSlotAfter(s)) {
      if (!s.isBefore(period.from())) {
        out.add(s);
      }
    }
    if (out.isEmpty() && lastDue != null) {
      out.add(lastDue);
    }
    return out;
  }

  /** A relative {@code file:} location is read from the policy's folder. */
  static String resolve(String location, Path base) {
    if (location.startsWith("file:")) {
      Path p = Path.of(location.substring("file:".length()));
      return "file:" + (p.isAbsolute() ? p : base.resolve(p).normalize());
    }
    return location;
  }
}
