package io.railrush.kit.stock;

class InProcessStockReservationsTest extends StockReservationsContract {
  private final StockReservations reservations = StockReservations.inProcess();

  @Override
  protected StockReservations reservations() {
    return reservations;
  }
}
