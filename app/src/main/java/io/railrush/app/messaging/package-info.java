/**
 * Reliable messaging between modules and processes: the transactional outbox every external event
 * is written to in its producer's transaction, the relay that hands rows on (to RabbitMQ with
 * publisher confirms in cluster mode, to this JVM's consumers in embedded mode), consumers applied
 * in one transaction each with manual acknowledgement, retries with exponential backoff and jitter,
 * dead letters an operator can list and replay.
 */
@ApplicationModule(
    displayName = "Messaging",
    allowedDependencies = {"web", "identity", "infra"})
package io.railrush.app.messaging;

import org.springframework.modulith.ApplicationModule;
