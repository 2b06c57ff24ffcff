/**
 * Operations: the run audit read from the database, ping, the pages (the buyer's page and the
 * dashboard) and the dashboard's live feed and demo flash crowd.
 */
@ApplicationModule(
    displayName = "Operations",
    allowedDependencies = {"web", "identity", "catalog::api", "order::api", "grab::api"})
package io.railrush.app.ops;

import org.springframework.modulith.ApplicationModule;
