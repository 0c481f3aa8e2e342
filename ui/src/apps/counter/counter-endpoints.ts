/**
 * The calls the counter's own screens make (the new order and its payment; the panels have
 * counter-panels-endpoints.ts): placing the ticket as an order and recording a payment. Both
 * carry an id made once by the screen and send it as the Idempotency-Key too, so a retry after
 * no answer returns what galleyd stored instead of a second order or a second payment.
 */
import type { OrderView, PaymentBody, PaymentView, PlaceOrderBody } from "../../../../protocol/index.ts";
import type { ApiClient } from "../../data/api.ts";

/** `POST /api/orders` with `channel: "counter"`; the order id is the Idempotency-Key. */
export function createCounterOrder(api: ApiClient, body: PlaceOrderBody): Promise<OrderView> {
  return api.request<OrderView>("POST", "/api/orders", {
    body: { ...body, channel: "counter" },
    headers: { "idempotency-key": body.id },
    timeoutMs: 10_000,
  });
}

/** `POST /api/orders/:id/payments`; the payment id is the Idempotency-Key. */
export function createPayment(api: ApiClient, orderId: string, body: PaymentBody): Promise<PaymentView> {
  return api.request<PaymentView>("POST", `/api/orders/${encodeURIComponent(orderId)}/payments`, {
    body,
    headers: { "idempotency-key": body.id },
    timeoutMs: 10_000,
  });
}

/**
 * `POST /api/devices/display` with the line just added. Best effort: a store without a pole
 * display answers `device_not_configured`, and a display that is offline must not stop the sale.
 */
export function showOnPoleDisplay(api: ApiClient, line: { name: string; quantity: number; amount: number }): void {
  const name = line.name.slice(0, 80) || "?";
  api
    .request("POST", "/api/devices/display", {
      body: { frame: "item", name, quantity: Math.min(line.quantity, 999), amount: line.amount },
      timeoutMs: 3_000,
    })
    .catch(() => undefined);
}
