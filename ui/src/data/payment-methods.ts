/**
 * How a kiosk customer can pay. Today: at the counter (the order is placed unpaid and the
 * cashier takes the money). Card terminals and other methods from later issues add an entry
 * here and a step in checkout; the kiosk shows whatever this list holds.
 */
import type { MessageKey } from "../i18n/index.ts";

export interface PaymentMethod {
  id: string;
  label: MessageKey;
  hint: MessageKey;
  /** The confirmation tells the customer to pay at the counter. */
  payLater: boolean;
}

export const PAYMENT_METHODS: readonly PaymentMethod[] = [
  { id: "counter", label: "checkout.payAtCounter", hint: "checkout.payAtCounterHint", payLater: true },
];
