/**
 * The flash-sale grab (抢票): the gate, the reservation ahead of the database, the bus to the order
 * writer, the reconciler. Hands accepted seats to {@code order} through its API and listens to its
 * events to return reservations.
 */
@ApplicationModule(
    displayName = "Grab",
    allowedDependencies = {"web", "identity", "infra", "catalog::api", "order::api", "promo::api"})
package io.railrush.app.grab;

import org.springframework.modulith.ApplicationModule;
