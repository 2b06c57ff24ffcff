/**
 * Runs and the ticket query (查票): the timetable, the cache-guarded stock and search queries, and
 * the seat ledger (seats and sold per run, the database's guard against overselling).
 */
@ApplicationModule(
    displayName = "Catalog",
    allowedDependencies = {"web", "identity", "infra"})
package io.railrush.app.catalog;

import org.springframework.modulith.ApplicationModule;
