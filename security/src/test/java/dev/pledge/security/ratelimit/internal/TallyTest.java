package dev.pledge.security.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class TallyTest {

  private static void inThreads(int threads, Runnable body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread th = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        body.run();
      });
      th.start();
      all.add(th);
    }
    start.countDown();
    for (Thread th : all) {
      th.join();
    }
  }

  @Test
  void countsExactlyAcrossThreads() throws Exception {
    Tally tally = new Tally();
    inThreads(8, () -> {
      for (int i = 0; i < 250_000; i++) {
        tally.increment();
      }
    });
    assertThat(tally.sum()).isEqualTo(2_000_000);
  }

  @Test
  void moreThreadsThanCellsShareAnAdderAndEndedThreadsGiveTheirCellsBackWithoutLosingCounts() throws Exception {
    Tally tally = new Tally(2);
    // 4 threads at once with 2 cells: two of them count through the shared adder
    inThreads(4, () -> {
      for (int i = 0; i < 10_000; i++) {
        tally.increment();
      }
    });
    assertThat(tally.sum()).isEqualTo(40_000);
    // those threads have ended: later threads reuse their cells, and the ended threads' counts stay
    for (int round = 0; round < 50; round++) {
      inThreads(2, tally::increment);
    }
    assertThat(tally.sum()).isEqualTo(40_100);
  }
}
