/** The states a verification and one of its deliveries can be in: the engine's and every client's vocabulary. */
export const VERIFICATION_STATUSES = ["pending", "approved", "canceled", "expired", "max_attempts_reached", "failed"] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

export const DELIVERY_STATUSES = ["scheduled", "sending", "sent", "delivered", "failed", "dropped"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
