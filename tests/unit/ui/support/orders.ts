/** Small OrderView fixtures for the screens' data tests. */
import type { OrderStatus, OrderView, PricedLine } from "../../../../protocol/schemas/index.ts";

const NEXT: Readonly<Record<OrderStatus, OrderStatus[]>> = {
  pending: ["in_queue", "cancelled"],
  in_queue: ["in_progress", "cancelled"],
  in_progress: ["ready", "in_queue", "cancelled"],
  ready: ["completed", "in_progress", "cancelled"],
  completed: [],
  refunded: [],
  cancelled: [],
};

export function itemLine(id: string, menuItemId: string, quantity = 1, station = "grill"): PricedLine {
  return {
    id,
    menuItemId,
    kind: "item",
    name: { en: menuItemId },
    quantity,
    unitPrice: 100,
    total: 100 * quantity,
    taxClass: "food",
    station,
    options: [],
    components: [],
  };
}

export function comboLine(
  id: string,
  quantity: number,
  components: { slot: string; item: string; station: string }[],
): PricedLine {
  return {
    id,
    menuItemId: "meal",
    kind: "combo",
    name: { en: "Meal" },
    quantity,
    unitPrice: 1000,
    total: 1000 * quantity,
    taxClass: "food",
    options: [],
    components: components.map((c) => ({
      slot: c.slot,
      item: c.item,
      name: { en: c.item },
      station: c.station,
      upcharge: 0,
      options: [],
    })),
  };
}

export function order(fields: Partial<OrderView> & { id: string; number: number; seq: number }): OrderView {
  const status = fields.status ?? "in_queue";
  return {
    ref: `ORD-${fields.number}`,
    businessDate: "2026-11-25",
    channel: "kiosk",
    status,
    next: NEXT[status],
    doneMarks: [],
    lines: [itemLine(`${fields.id}-l1`, "classic-burger")],
    totals: { currency: "EUR", taxIncluded: true, subtotal: 100, tax: 7, total: 100, taxes: [] },
    placedBy: { kind: "device", id: "k", name: "kiosk" },
    createdAt: `2026-11-25T12:00:${String(fields.number).padStart(2, "0")}.000Z`,
    updatedAt: `2026-11-25T12:00:${String(fields.number).padStart(2, "0")}.000Z`,
    ...fields,
  };
}
