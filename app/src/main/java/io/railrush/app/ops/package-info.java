/** Operations: the run audit read from the database, ping. */
@ApplicationModule(
    displayName = "Operations",
    allowedDependencies = {"web", "identity", "catalog::api", "order::api"})
package io.railrush.app.ops;

import org.springframework.modulith.ApplicationModule;
