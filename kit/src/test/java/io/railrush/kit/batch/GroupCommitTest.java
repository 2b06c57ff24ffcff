package io.railrush.kit.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

  @Test
  void everyCallerGetsItsOwnResultAndConcurrentCallersShareGroups() throws Exception {
    List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
    try (GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            "test-writer",
            "test",
            64,
            10_000,
            group -> {
              groupSizes.add(group.size());
              sleep(2); // a commit's round trip: callers arriving meanwhile form the next group
              return group.stream().map(i -> i * 2).toList();
            })) {
      int callers = 5_000;
      List<CompletableFuture<Integer>> answers = new ArrayList<>();
      try (ExecutorService threads = Executors.newFixedThreadPool(64)) {
        List<java.util.concurrent.Future<CompletableFuture<Integer>>> submitted = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
          int item = i;
          submitted.add(threads.submit(() -> commit.submit(item)));
        }
        for (var f : submitted) {
          answers.add(f.get());
        }
      }
      for (int i = 0; i < callers; i++) {
        assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 2);
      }
      assertThat(groupSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(callers);
      assertThat(groupSizes).allMatch(size -> size >= 1 && size <= 64);
      assertThat(groupSizes.size()).as("groups formed under load").isLessThan(callers / 4);
    }
  }

  @Test
  void anIdleWriterWritesALoneItemAtOnce() throws Exception {
    List<Integer> groupSizes = Collections.synchronizedList(new ArrayList<>());
    try (GroupCommit<String, String> commit =
        new GroupCommit<>(
            "test-writer",
            "test",
            64,
            100,
            group -> {
              groupSizes.add(group.size());
              return group;
            })) {
      for (int i = 0; i < 5; i++) {
        assertThat(commit.submit("item-" + i).get(5, TimeUnit.SECONDS)).isEqualTo("item-" + i);
      }
      assertThat(groupSizes).containsExactly(1, 1, 1, 1, 1);
    }
  }

  @Test
  void aFailedGroupFailsItsCallersAndTheNextGroupIsWritten() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (GroupCommit<String, String> commit =
        new GroupCommit<>(
            "test-writer",
            "test",
            64,
            100,
            group -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the database refused");
              }
              return group;
            })) {
      assertThatThrownBy(() -> commit.submit("first").get(5, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasRootCauseMessage("the database refused");
      assertThat(commit.submit("second").get(5, TimeUnit.SECONDS)).isEqualTo("second");
    }
  }

  @Test
  void aWriterAnsweringTheWrongNumberOfResultsFailsTheGroup() {
    try (GroupCommit<String, String> commit =
        new GroupCommit<>("test-writer", "test", 64, 100, group -> List.of())) {
      assertThatThrownBy(() -> commit.submit("lost").get(5, TimeUnit.SECONDS))
          .hasRootCauseInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void pastCapacityACallerIsRefusedAtOnceAsBackendUnavailable() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch writing = new CountDownLatch(1);
    try (GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            "test-writer",
            "database",
            1,
            2,
            group -> {
              writing.countDown();
              await(release);
              return group;
            })) {
      CompletableFuture<Integer> held = commit.submit(0);
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> first = commit.submit(1);
      CompletableFuture<Integer> second = commit.submit(2);
      CompletableFuture<Integer> refused = commit.submit(3);
      assertThat(refused).isCompletedExceptionally();
      assertThatThrownBy(refused::join)
          .hasCauseInstanceOf(GroupCommitFullException.class)
          .cause()
          .hasMessageContaining("database");
      release.countDown();
      assertThat(held.get(5, TimeUnit.SECONDS)).isZero();
      assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(1);
      assertThat(second.get(5, TimeUnit.SECONDS)).isEqualTo(2);
    }
  }

  @Test
  void closeWritesWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    GroupCommit<Integer, Integer> commit =
        new GroupCommit<>(
            "test-writer",
            "test",
            64,
            100,
            group -> {
              await(release);
              return group;
            });
    List<CompletableFuture<Integer>> queued = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      queued.add(commit.submit(i));
    }
    release.countDown();
    commit.close();
    for (int i = 0; i < 10; i++) {
      assertThat(queued.get(i).get(5, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThatThrownBy(() -> commit.submit(99).get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
