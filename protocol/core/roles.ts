/** Who may hold a token, how an order came in, and the states it goes through. */

export const ROLES = ["kiosk", "kitchen", "board", "counter", "cashier", "manager", "technician", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Roles that are screens (paired with a code) rather than people (signed in with a PIN). */
export const SCREEN_ROLES = ["kiosk", "kitchen", "board", "counter"] as const satisfies readonly Role[];
export type ScreenRole = (typeof SCREEN_ROLES)[number];

export const ORDER_STATUSES = [
  "pending",
  "in_queue",
  "in_progress",
  "ready",
  "completed",
  "refunded",
  "cancelled",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const CHANNELS = ["kiosk", "counter", "web"] as const;
export type Channel = (typeof CHANNELS)[number];
