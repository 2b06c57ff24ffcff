package io.railrush.app.catalog;

import java.time.Instant;
import org.springframework.modulith.NamedInterface;

/** What selling a run needs to know of it. */
@NamedInterface("api")
public record RunForSale(String runId, int seats, long priceCents, Instant saleOpensAt) {

  public boolean onSaleAt(Instant now) {
    return saleOpensAt == null || !now.isBefore(saleOpensAt);
  }
}
