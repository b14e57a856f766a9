package dev.pledge.security.access.internal;

import dev.pledge.security.access.AccessGrant;
import dev.pledge.security.access.AccessRequest;
import dev.pledge.security.access.AccessStore;
import dev.pledge.security.access.EnrolledPerson;
import dev.pledge.security.access.GrantStatus;
import dev.pledge.security.access.Person;
import dev.pledge.security.access.StoredGrant;
import dev.pledge.security.internal.LockedJsonFile;
import dev.pledge.security.internal.LockedJsonFile.Outcome;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link AccessStore#folder} and {@link AccessStore#inMemory}: the whole state in one JSON document
 * ({@code DIR/access.json}), every call one locked read or read-change-write, so racing threads and
 * processes see each conditional step happen once. Sized for people, not requests. Thread-safe.
 */
public final class FileAccessStore implements AccessStore {
  private final LockedJsonFile<State> doc;

  private FileAccessStore(LockedJsonFile<State> doc) {
    this.doc = doc;
  }

  /** The store in {@code dir}. */
  public static FileAccessStore open(Path dir) {
    return new FileAccessStore(LockedJsonFile.at(dir.resolve("access.json"), State.class, State::new));
  }

  /** A store in memory. */
  public static FileAccessStore inMemory() {
    return new FileAccessStore(LockedJsonFile.inMemory(State.class, State::new));
  }

  @Override
  public boolean addPerson(Person person, Instant at) {
    Objects.requireNonNull(person, "person");
    Objects.requireNonNull(at, "at");
    return doc.update(s -> {
      if (s.people.stream().anyMatch(p -> p.account().equals(person.account()))) {
        return Outcome.unchanged(false);
      }
      s.people.add(new EnrolledPerson(person, at, null));
      return Outcome.changed(true);
    });
  }

  @Override
  public Optional<EnrolledPerson> person(String account) {
    return doc.read(s -> s.people.stream().filter(p -> p.account().equals(account)).findFirst());
  }

  @Override
  public List<EnrolledPerson> people() {
    return doc.read(s -> List.copyOf(s.people));
  }

  @Override
  public boolean markDeparted(String account, Instant at) {
    return doc.update(s -> {
      for (int i = 0; i < s.people.size(); i++) {
        EnrolledPerson p = s.people.get(i);
        if (p.account().equals(account) && p.departedAt() == null) {
          s.people.set(i, new EnrolledPerson(p.person(), p.enrolledAt(), at));
          return Outcome.changed(true);
        }
      }
      return Outcome.unchanged(false);
    });
  }

  @Override
  public void addRequest(AccessRequest request) {
    doc.update(s -> {
      if (s.requests.stream().anyMatch(r -> r.id().equals(request.id()))) {
        throw new IllegalStateException("request " + request.id() + " already exists");
      }
      s.requests.add(request);
      return Outcome.changed(null);
    });
  }

  @Override
  public Optional<AccessRequest> request(String id) {
    return doc.read(s -> s.requests.stream().filter(r -> r.id().equals(id)).findFirst());
  }

  @Override
  public List<AccessRequest> requests() {
    return doc.read(s -> List.copyOf(s.requests));
  }

  @Override
  public boolean decideRequest(AccessRequest decided) {
    return doc.update(s -> {
      for (int i = 0; i < s.requests.size(); i++) {
        AccessRequest r = s.requests.get(i);
        if (r.id().equals(decided.id()) && r.status() == AccessRequest.Status.PENDING) {
          s.requests.set(i, decided);
          return Outcome.changed(true);
        }
      }
      return Outcome.unchanged(false);
    });
  }

  @Override
  public void addGrant(AccessGrant grant) {
    doc.update(s -> {
      if (s.grants.stream().anyMatch(g -> g.id().equals(grant.id()))) {
        throw new IllegalStateException("grant " + grant.id() + " already exists");
      }
      s.grants.add(StoredGrant.active(grant));
      return Outcome.changed(null);
    });
  }

  @Override
  public Optional<StoredGrant> grant(String id) {
    return doc.read(s -> s.grants.stream().filter(g -> g.id().equals(id)).findFirst());
  }

  @Override
  public List<StoredGrant> grants() {
    return doc.read(s -> List.copyOf(s.grants));
  }

  @Override
  public boolean endGrant(String id, GrantStatus to, Instant at, String by, String node) {
    if (to == GrantStatus.ACTIVE) {
      throw new IllegalArgumentException("a grant ends as REVOKED, EXPIRED or OFFBOARDED, not ACTIVE");
    }
    return doc.update(s -> {
      for (int i = 0; i < s.grants.size(); i++) {
        StoredGrant g = s.grants.get(i);
        if (g.id().equals(id) && g.status() == GrantStatus.ACTIVE) {
          s.grants.set(i, new StoredGrant(g.grant(), to, at, by, node, at, g.grant().targets().isEmpty()));
          return Outcome.changed(true);
        }
      }
      return Outcome.unchanged(false);
    });
  }

  @Override
  public boolean claimCleanup(String id, String node, Instant now, Instant staleBefore) {
    return doc.update(s -> {
      for (int i = 0; i < s.grants.size(); i++) {
        StoredGrant g = s.grants.get(i);
        if (g.id().equals(id) && g.status() != GrantStatus.ACTIVE && !g.cleaned()
            && (g.cleanupAt() == null || g.cleanupAt().isBefore(staleBefore))) {
          s.grants.set(i, new StoredGrant(g.grant(), g.status(), g.endedAt(), g.endedBy(), node, now, false));
          return Outcome.changed(true);
        }
      }
      return Outcome.unchanged(false);
    });
  }

  @Override
  public void markCleaned(String id) {
    doc.update(s -> {
      for (int i = 0; i < s.grants.size(); i++) {
        StoredGrant g = s.grants.get(i);
        if (g.id().equals(id) && !g.cleaned()) {
          s.grants.set(i, new StoredGrant(g.grant(), g.status(), g.endedAt(), g.endedBy(), g.cleanupNode(),
              g.cleanupAt(), true));
          return Outcome.changed(null);
        }
      }
      return Outcome.unchanged(null);
    });
  }

  @Override
  public String toString() {
    return "FileAccessStore[" + doc + "]";
  }

  /** The document: public fields, so Jackson reads and writes it as it is. */
  public static final class State {
    /** Everyone ever enrolled. */
    public List<EnrolledPerson> people = new ArrayList<>();
    /** Every request. */
    public List<AccessRequest> requests = new ArrayList<>();
    /** Every grant. */
    public List<StoredGrant> grants = new ArrayList<>();
  }
}
