/**
 * The admin page's payment calls (README "Payments"): recent payments and refunds (managers), the
 * card terminals with their test payment and end of day (technicians). Refunds and terminal work
 * wait on a person at the terminal, so their timeouts are long.
 */
import type {
  RecentPayment,
  RecentPaymentsView,
  RefundBody,
  RefundView,
  TerminalClosingsView,
  TerminalClosingView,
  TerminalTestView,
  TerminalView,
  TerminalsView,
} from "../../../../protocol/index.ts";
import type { ApiClient } from "../../data/api.ts";

/** A card refund may wait for the customer to present the card (about a minute). */
const TERMINAL_WAIT_MS = 120_000;

const terminal = (id: string) => `/api/payments/terminals/${encodeURIComponent(id)}`;

/** `GET /api/payments/recent`: newest first; `number` only the payments of that order. */
export async function fetchRecentPayments(
  api: ApiClient,
  query: { limit?: number; number?: number } = {},
): Promise<RecentPayment[]> {
  const params = new URLSearchParams({ limit: String(query.limit ?? 50) });
  if (query.number !== undefined) params.set("number", String(query.number));
  return (await api.request<RecentPaymentsView>("GET", `/api/payments/recent?${params.toString()}`)).payments;
}

/** `POST /api/payments/:id/refund`: the same `key` again never refunds twice. */
export function createRefund(api: ApiClient, paymentId: string, body: RefundBody, key: string): Promise<RefundView> {
  return api.request<RefundView>("POST", `/api/payments/${encodeURIComponent(paymentId)}/refund`, {
    body,
    headers: { "idempotency-key": key },
    timeoutMs: TERMINAL_WAIT_MS,
  });
}

export async function fetchTerminals(api: ApiClient): Promise<TerminalView[]> {
  return (await api.request<TerminalsView>("GET", "/api/payments/terminals")).terminals;
}

/** 0.01 charged on the terminal and reversed at once. */
export function createTerminalTest(api: ApiClient, id: string): Promise<TerminalTestView> {
  return api.request<TerminalTestView>("POST", `${terminal(id)}/test`, { timeoutMs: TERMINAL_WAIT_MS });
}

/** Closes the terminal's day and compares its totals with the journal's card payments. */
export function createEndOfDay(api: ApiClient, id: string): Promise<TerminalClosingView> {
  return api.request<TerminalClosingView>("POST", `${terminal(id)}/end-of-day`, { timeoutMs: TERMINAL_WAIT_MS });
}

export async function fetchClosings(api: ApiClient): Promise<TerminalClosingView[]> {
  return (await api.request<TerminalClosingsView>("GET", "/api/payments/closings")).closings;
}
