package io.railrush.kit.internal;

import java.util.EnumSet;
import java.util.Set;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;

/**
 * Which ZooKeeper failures mean "the ensemble could not be reached or did not answer in time"
 * (Curator's connection loss after its retries, session expiry, timeouts, throttling, a quorum
 * being reconfigured), as opposed to a request ZooKeeper refused for what it asked (no auth, bad
 * arguments, a missing parent): the first kind becomes the kit's {@code
 * BackendUnavailableException} family, the second is a bug or a misconfiguration.
 */
public final class ZooKeeperFailures {

  private static final Set<Code> UNREACHABLE =
      EnumSet.of(
          Code.CONNECTIONLOSS,
          Code.OPERATIONTIMEOUT,
          Code.SESSIONEXPIRED,
          Code.SESSIONMOVED,
          Code.REQUESTTIMEOUT,
          Code.THROTTLEDOP,
          Code.RECONFIGINPROGRESS,
          Code.NEWCONFIGNOQUORUM);

  private ZooKeeperFailures() {}

  /** Whether {@code e}, or an exception it was caused by, is a ZooKeeper failure of reach. */
  public static boolean unreachable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KeeperException keeper && UNREACHABLE.contains(keeper.code())) {
        return true;
      }
    }
    return false;
  }
}
