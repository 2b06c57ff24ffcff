-- The reconciler looks for coupons RESERVED for a long time by grabs that never became orders.
create index coupon_by_status on coupon (status, updated_at_ms);
