/**
 * The calls of the counter's panels (README "Cash shifts", "Attendance"): the drawer's shift and
 * its movements, reports and count; clocking in and out and a manager's corrections; today's
 * orders with their payments and receipts; sold-out marks. Refunds go through the admin's
 * `createRefund` (one Idempotency-Key per submission), reprints through `createReprint`.
 */
import type {
  AttendanceAction,
  AttendanceCorrectionBody,
  AttendanceEntryView,
  AttendanceResponse,
  AttendanceStatusView,
  Availability,
  AvailabilityChange,
  CashCloseBody,
  CashCloseResponse,
  CashMoveType,
  CashMovementView,
  CashReportView,
  CashSessionsResponse,
  CashShiftView,
  OrderDetail,
  OrderView,
  PaymentsSummary,
  PrintJobView,
  OrdersOfDayResponse,
  UserView,
} from "../../../../protocol/index.ts";
import { ApiError, type ApiClient } from "../../data/api.ts";

// ---- cash shifts ----------------------------------------------------------------------------------

/** `GET /api/cash/session`: the drawer's open shift, or undefined when none is open. */
export async function fetchOpenShift(api: ApiClient): Promise<CashShiftView | undefined> {
  try {
    const shift = await api.request<CashShiftView | null>("GET", "/api/cash/session");
    return shift && shift.status === "open" ? shift : undefined;
  } catch (error) {
    if (error instanceof ApiError && error.code === "cash_shift_not_found") return undefined;
    throw error;
  }
}

/** `GET /api/cash/session?id=`: one shift, open or closed, with its movements and reports. */
export function fetchShift(api: ApiClient, id: string): Promise<CashShiftView> {
  return api.request<CashShiftView>("GET", `/api/cash/session?id=${encodeURIComponent(id)}`);
}

/** `GET /api/cash/sessions`: the latest shifts, newest first. */
export async function fetchShifts(api: ApiClient, limit = 20): Promise<CashSessionsResponse["shifts"]> {
  return (await api.request<CashSessionsResponse>("GET", `/api/cash/sessions?limit=${limit}`)).shifts;
}

export function createShift(api: ApiClient, openingFloat: number): Promise<CashShiftView> {
  return api.request<CashShiftView>("POST", "/api/cash/open", { body: { openingFloat } });
}

/** `POST /api/cash/move`: `id` is made once per entry, so a retry after no answer records it once. */
export function createCashMove(
  api: ApiClient,
  move: { id: string; type: CashMoveType; amount: number; reason: string },
): Promise<CashMovementView> {
  return api.request<CashMovementView>("POST", "/api/cash/move", { body: move });
}

/** `POST /api/cash/report`: an X report of the open shift, printed and kept. */
export function createXReport(api: ApiClient): Promise<CashReportView> {
  return api.request<CashReportView>("POST", "/api/cash/report", { body: {}, timeoutMs: 15_000 });
}

export function fetchReport(api: ApiClient, id: string): Promise<CashReportView> {
  return api.request<CashReportView>("GET", `/api/cash/reports/${encodeURIComponent(id)}`);
}

export function createShiftClose(api: ApiClient, body: CashCloseBody): Promise<CashCloseResponse> {
  return api.request<CashCloseResponse>("POST", "/api/cash/close", { body, timeoutMs: 15_000 });
}

/**
 * A print job's paper as a PNG, as an object URL for an `<img>` (an image request cannot carry
 * the bearer token). The caller revokes it with `URL.revokeObjectURL` when it is no longer shown.
 */
export async function fetchPrintPreview(api: ApiClient, jobId: string): Promise<string> {
  const reply = await api.sendBinary("GET", `/api/print-jobs/${encodeURIComponent(jobId)}/preview`);
  const type = reply.headers.get("content-type") ?? "image/png";
  return URL.createObjectURL(new Blob([reply.bytes], { type }));
}

// ---- attendance -----------------------------------------------------------------------------------

/** `GET /api/attendance`: today's entries and everyone's state (`userId`: one person's). */
export function fetchAttendance(api: ApiClient, userId?: string): Promise<AttendanceResponse> {
  const query = userId ? `?userId=${encodeURIComponent(userId)}` : "";
  return api.request<AttendanceResponse>("GET", `/api/attendance${query}`);
}

/** `POST /api/attendance/clock`: signed in, the person is the caller; from a paired screen, `pin` says who. */
export function createClock(api: ApiClient, action: AttendanceAction, pin?: string): Promise<AttendanceStatusView> {
  return api.request<AttendanceStatusView>("POST", "/api/attendance/clock", {
    body: { action, ...(pin ? { pin } : {}) },
  });
}

export function createAttendanceCorrection(
  api: ApiClient,
  body: AttendanceCorrectionBody,
): Promise<AttendanceEntryView> {
  return api.request<AttendanceEntryView>("POST", "/api/attendance/corrections", { body });
}

/** `GET /api/users` (`users:manage`): the staff a manager may add a missed entry for. */
export async function fetchStaff(api: ApiClient): Promise<UserView[]> {
  return (await api.request<{ users: UserView[] }>("GET", "/api/users")).users.filter((u) => u.status === "active");
}

// ---- orders ---------------------------------------------------------------------------------------

/** `GET /api/orders`: today's orders (the store's business day, as galleyd counts it), newest first. */
export async function fetchTodaysOrders(api: ApiClient): Promise<{ date: string; orders: OrderView[] }> {
  return api.request<OrdersOfDayResponse>("GET", "/api/orders?limit=500");
}

export function fetchOrder(api: ApiClient, id: string): Promise<OrderDetail> {
  return api.request<OrderDetail>("GET", `/api/orders/${encodeURIComponent(id)}`);
}

export function fetchOrderPayments(api: ApiClient, id: string): Promise<PaymentsSummary> {
  return api.request<PaymentsSummary>("GET", `/api/orders/${encodeURIComponent(id)}/payments`);
}

/** `PATCH /api/orders/:id/status` to cancelled, with the reason kept in its history. */
export function updateOrderCancelled(api: ApiClient, id: string, reason: string): Promise<OrderView> {
  return api.request<OrderView>("PATCH", `/api/orders/${encodeURIComponent(id)}/status`, {
    body: { status: "cancelled", reason },
  });
}

/** The order's receipts, newest first. */
export async function fetchReceiptJobs(api: ApiClient, orderId: string): Promise<PrintJobView[]> {
  const query = `order=${encodeURIComponent(orderId)}&kind=receipt`;
  return (await api.request<{ jobs: PrintJobView[] }>("GET", `/api/print-jobs?${query}`)).jobs;
}

// ---- availability ---------------------------------------------------------------------------------

/** `PUT /api/menu/availability`: an item or option sold out or back; the availability after it. */
export function updateAvailability(api: ApiClient, change: AvailabilityChange): Promise<Availability> {
  return api.request<Availability>("PUT", "/api/menu/availability", { body: change });
}
