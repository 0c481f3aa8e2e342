/**
 * A shift's figures, derived from what was recorded while it was open (never a running total that
 * could drift): expected = float + cash sales − cash refunds + cash in − cash out, and over/short
 * = counted − expected once counted. A closed shift's figures are the copy frozen at its close.
 *
 * Blind close (`cash.blindClose`): the cashier counts before seeing what the drawer should hold,
 * so an open shift's `expected` is hidden from cashiers; managers and admins see it, and after
 * the close everyone does.
 */
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { CashSummary, MethodTotal } from "../../protocol/schemas/cash.ts";
import type { Journal } from "../journal/database.ts";
import { movementsOf, shiftPayments, type ShiftRecord } from "../journal/cash-store.ts";

/** The shift's figures now (open) or as frozen at the close; `counted` fills counted and over/short. */
export function summaryOf(journal: Journal, shift: ShiftRecord, counted: number | null = null): CashSummary {
  if (shift.summary && counted === null) return shift.summary;
  let cashSales = 0;
  let cashSalesCount = 0;
  let cashRefunds = 0;
  let cashRefundsCount = 0;
  let totalTaken = 0;
  const orders = new Set<string>();
  const others = new Map<string, MethodTotal>();
  const other = (method: string): MethodTotal => {
    let total = others.get(method);
    if (!total) {
      total = { method, count: 0, amount: 0, tips: 0, refunds: 0 };
      others.set(method, total);
    }
    return total;
  };
  for (const row of shiftPayments(journal, shift.id)) {
    if (row.kind === "payment") {
      totalTaken += row.amount + row.tip;
      orders.add(row.orderId);
      if (row.method === "cash") {
        cashSales += row.amount + row.tip;
        cashSalesCount += 1;
      } else {
        const total = other(row.method);
        total.count += 1;
        total.amount += row.amount;
        total.tips += row.tip;
      }
    } else if (row.method === "cash") {
      // A refund handed out of the drawer, whatever the payment's method was.
      cashRefunds += row.amount;
      cashRefundsCount += 1;
    } else {
      // Other routes count against the method that took the money (a card refund against card).
      const method = row.paymentMethod !== null && row.paymentMethod !== "cash" ? row.paymentMethod : row.method;
      other(method).refunds += row.amount;
    }
  }
  let cashIn = 0;
  let cashOut = 0;
  for (const movement of movementsOf(journal, shift.id)) {
    if (movement.type === "cash_in") cashIn += movement.amount;
    else cashOut += movement.amount;
  }
  const expected = shift.openingFloat + cashSales - cashRefunds + cashIn - cashOut;
  return {
    currency: shift.currency,
    openingFloat: shift.openingFloat,
    cashSales,
    cashSalesCount,
    cashRefunds,
    cashRefundsCount,
    cashIn,
    cashOut,
    expected,
    counted,
    overShort: counted === null ? null : counted - expected,
    otherMethods: [...others.values()].sort((a, b) => a.method.localeCompare(b.method)),
    totalTaken,
    orders: orders.size,
  };
}

/** Whether `principal` must not see the expected figure of `shift` yet (blind close, open shift, cashier). */
export function isBlindFor(blindClose: boolean, principal: Principal, shift: { status: "open" | "closed" }): boolean {
  return blindClose && shift.status === "open" && principal.role === "cashier";
}

/** The summary as `principal` may see it. */
export function summaryFor(summary: CashSummary, blind: boolean): CashSummary {
  return blind ? { ...summary, expected: null, overShort: null } : summary;
}
