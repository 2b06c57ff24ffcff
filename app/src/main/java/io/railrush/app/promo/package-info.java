/**
 * Coupons and lottery draws, the after-payment effects: a coupon is reserved by the grab that names
 * it, used when its order's payment succeeds, released when the order is cancelled or fails; each
 * paid order grants one lottery draw. Everything after the grab arrives as messages (an inbox makes
 * each apply once) and the module writes only its own tables.
 */
@ApplicationModule(
    displayName = "Promotions",
    allowedDependencies = {"web", "identity", "infra", "messaging::api", "order::api"})
package io.railrush.app.promo;

import org.springframework.modulith.ApplicationModule;
