/**
 * Backends every feature shares — the clock, the shared tier, locks, order numbers, roles and
 * leader-elected sweeper turns — chosen by typed configuration. Depends on no feature.
 */
@ApplicationModule(
    displayName = "Infrastructure",
    allowedDependencies = {})
package io.railrush.app.infra;

import org.springframework.modulith.ApplicationModule;
