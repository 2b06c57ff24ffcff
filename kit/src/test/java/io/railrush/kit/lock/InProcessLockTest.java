package io.railrush.kit.lock;

class InProcessLockTest extends LeasedLockContract {
  @Override
  protected String spec() {
    return "inprocess";
  }

  @Override
  protected boolean shared() {
    return false;
  }
}
