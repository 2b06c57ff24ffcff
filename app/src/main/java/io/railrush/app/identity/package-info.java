/** Who is calling: user tokens from the demo login, the admin token. */
@ApplicationModule(displayName = "Identity", allowedDependencies = "web")
package io.railrush.app.identity;

import org.springframework.modulith.ApplicationModule;
