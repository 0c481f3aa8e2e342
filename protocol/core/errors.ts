/**
 * The error catalogue of galleyd's API: every error that reaches a client carries one of these
 * codes, with this HTTP status. The README lists them all (tests/unit/appliance/docs.test.ts keeps
 * the two in step).
 */

/** Stable error codes and the HTTP status each maps to. */
export const ERROR_STATUS = {
  // Request shape
  bad_request: 400,
  validation_failed: 400,
  body_too_large: 413,
  unsupported_media_type: 415,
  route_not_found: 404,
  idempotency_key_invalid: 400,
  // Auth
  unauthenticated: 401,
  token_expired: 401,
  token_revoked: 401,
  account_deactivated: 401,
  invalid_pin: 401,
  forbidden: 403,
  too_many_attempts: 429,
  rate_limited: 429,
  pairing_code_invalid: 400,
  pairing_code_expired: 410,
  pin_in_use: 409,
  user_not_found: 404,
  device_not_found: 404,
  // Catalogue
  menu_invalid: 422,
  picture_invalid: 422,
  unknown_item: 422,
  item_sold_out: 409,
  unknown_option: 422,
  option_sold_out: 409,
  option_rules_violated: 422,
  combo_slots_invalid: 422,
  quantity_invalid: 422,
  // Carts and stock
  session_not_found: 404,
  session_closed: 409,
  session_empty: 422,
  line_not_found: 404,
  out_of_stock: 409,
  hold_expired: 409,
  // Orders
  order_not_found: 404,
  illegal_transition: 409,
  idempotency_conflict: 409,
  payment_exceeds_due: 422,
  // Payments: card terminals, provider tokens, refunds (appliance/payments)
  payment_in_progress: 409,
  payment_not_found: 404,
  checkout_not_found: 404,
  terminal_not_configured: 409,
  terminal_unavailable: 503,
  terminal_declined: 402,
  refund_exceeds_captured: 422,
  payment_pending: 504,
  provider_not_configured: 409,
  provider_unreachable: 503,
  provider_declined: 402,
  provider_error: 502,
  // Cash shifts and attendance (appliance/cash, appliance/attendance)
  cash_shift_required: 409,
  cash_shift_open: 409,
  cash_shift_not_found: 404,
  cash_report_not_found: 404,
  attendance_state: 409,
  attendance_entry_not_found: 404,
  // Printers, drawer, pole display (appliance/devices)
  kitchen_unreachable: 503,
  print_job_not_found: 404,
  print_job_conflict: 409,
  device_not_configured: 409,
  device_unavailable: 503,
  // The board's first setup (appliance/setup)
  setup_not_pending: 404,
  setup_code_invalid: 403,
  // Upstream sync, order backups, journal backups (appliance/sync, appliance/jobs)
  integration_not_configured: 409,
  integration_not_connected: 409,
  integration_incomplete: 422,
  sync_item_not_found: 404,
  sync_item_not_dead: 409,
  notification_not_found: 404,
  job_not_found: 404,
  backup_failed: 500,
  secret_key_unavailable: 500,
  // Service
  shutting_down: 503,
  storage_full: 507,
  journal_corrupt: 500,
  config_invalid: 500,
  internal_error: 500,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** Every code, for documentation checks and the protocol's union. */
export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];
