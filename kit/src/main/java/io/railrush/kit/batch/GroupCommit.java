package io.railrush.kit.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: many callers' items written by one thread, as many at a time as have arrived while
 * the previous group was being written — one round trip and one commit for a group instead of one
 * each. Nothing waits to fill a group: an item that arrives to an idle writer is written at once,
 * alone, so a group costs latency only when the writer is already busy, and then less than waiting
 * for a connection would.
 *
 * <p>Hand-written because what it must guarantee is narrow and easy to check here — each caller's
 * future completes with its own item's result, or with the group's failure — while the batching
 * libraries at hand (Reactor's {@code bufferTimeout}, Caffeine's write buffers) either wait for a
 * group to fill or lose the per-item answer.
 *
 * @param <T> an item
 * @param <R> what writing an item answers its caller
 */
public final class GroupCommit<T, R> implements AutoCloseable {

  /** Writes one group; returns one result per item, in the group's order. */
  @FunctionalInterface
  public interface GroupWriter<T, R> {
    List<R> write(List<T> group);
  }

  private record Pending<T, R>(T item, CompletableFuture<R> answer) {}

  private final BlockingQueue<Pending<T, R>> queue;
  private final GroupWriter<T, R> writer;
  private final int maxGroup;
  private final String backend;
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param name the writer thread's name
   * @param backend what the writer writes to, named in {@link GroupCommitFullException}
   * @param maxGroup the most items written together
   * @param capacity items that may wait; a caller past it is refused at once
   * @param writer writes a group (on the writer thread)
   */
  public GroupCommit(
      String name, String backend, int maxGroup, int capacity, GroupWriter<T, R> writer) {
    if (maxGroup < 1 || capacity < maxGroup) {
      throw new IllegalArgumentException("need 1 <= maxGroup <= capacity");
    }
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.writer = writer;
    this.maxGroup = maxGroup;
    this.backend = backend;
    // a platform thread: the writer must not queue behind a crowd of virtual request threads
    this.thread = Thread.ofPlatform().name(name).daemon().start(this::run);
  }

  /**
   * Queues the item; the future completes once its group is written (or fails with the group's
   * failure). Fails at once with {@link GroupCommitFullException} when {@code capacity} items are
   * already waiting, and with {@link IllegalStateException} once closed.
   */
  public CompletableFuture<R> submit(T item) {
    CompletableFuture<R> answer = new CompletableFuture<>();
    if (closed) {
      answer.completeExceptionally(new IllegalStateException("closed"));
    } else if (!queue.offer(new Pending<>(item, answer))) {
      answer.completeExceptionally(new GroupCommitFullException(backend, queue.size()));
    } else if (closed && !thread.isAlive()) {
      failAll(new IllegalStateException("closed")); // closed while this item was being queued
    }
    return answer;
  }

  /** Items waiting for the writer now. */
  public int waiting() {
    return queue.size();
  }

  private void run() {
    List<Pending<T, R>> group = new ArrayList<>(maxGroup);
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<T, R> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        queue.drainTo(group, maxGroup - 1);
        writeGroup(group);
      } catch (InterruptedException e) {
        if (closed) {
          break;
        }
      } finally {
        group.clear();
      }
    }
    failAll(new IllegalStateException("closed"));
  }

  private void writeGroup(List<Pending<T, R>> group) {
    List<R> results;
    try {
      results = writer.write(group.stream().map(Pending::item).toList());
      if (results.size() != group.size()) {
        throw new IllegalStateException(
            "the writer answered " + results.size() + " results for " + group.size() + " items");
      }
    } catch (RuntimeException | Error failed) {
      group.forEach(p -> p.answer().completeExceptionally(failed));
      return;
    }
    for (int i = 0; i < group.size(); i++) {
      group.get(i).answer().complete(results.get(i));
    }
  }

  private void failAll(RuntimeException why) {
    Pending<T, R> left;
    while ((left = queue.poll()) != null) {
      left.answer().completeExceptionally(why);
    }
  }

  /** Writes what is queued, then stops the writer; later submissions fail. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}
