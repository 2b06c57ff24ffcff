/**
 * The HTTP edge shared by every feature: problem details with a machine-readable code, strict JSON,
 * the body limit. Depends on no feature.
 */
@ApplicationModule(
    displayName = "Web edge",
    allowedDependencies = {})
package io.railrush.app.web;

import org.springframework.modulith.ApplicationModule;
