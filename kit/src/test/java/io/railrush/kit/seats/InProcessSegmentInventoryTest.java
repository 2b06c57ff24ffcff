package io.railrush.kit.seats;

class InProcessSegmentInventoryTest extends SegmentInventoryContract {
  private final SegmentInventory inventory = SegmentInventory.inProcess();

  @Override
  protected SegmentInventory inventory() {
    return inventory;
  }
}
