/**
 * The counter's tabs: their order (F1–F5 and Alt+1–5 follow it), their names, and their panels,
 * which load when first opened (and the clock when the lock screen asks for it): the page's
 * entry stays small and the New order tab is up sooner (tests/bench/ui.ts). A load that failed
 * (galleyd restarting) is tried again at the next opening.
 */
import type { Principal } from "../../../../protocol/index.ts";
import type { MessageKey } from "../../i18n/index.ts";

export const TABS = ["order", "orders", "shift", "soldout", "clock"] as const;
export type CounterTab = (typeof TABS)[number];

const PANELS: Readonly<Record<Exclude<CounterTab, "order">, () => Promise<unknown>>> = {
  orders: () => import("./galley-counter-orders.ts"),
  shift: () => import("./galley-counter-shift.ts"),
  soldout: () => import("./galley-counter-soldout.ts"),
  clock: () => import("./galley-counter-clock.ts"),
};

export function loadPanel(tab: CounterTab): void {
  if (tab === "order" || customElements.get(`galley-counter-${tab}`)) return;
  PANELS[tab]().catch(() => {
    // Not loaded: the tab shows empty until it is opened again.
  });
}

export const TAB_TEXT: Readonly<Record<CounterTab, MessageKey>> = {
  order: "counter.tab.order",
  orders: "counter.tab.orders",
  shift: "counter.tab.shift",
  soldout: "counter.tab.soldout",
  clock: "counter.tab.clock",
};

export const ROLE_TEXT: Readonly<Partial<Record<Principal["role"], MessageKey>>> = {
  cashier: "counter.role.cashier",
  manager: "counter.role.manager",
  admin: "counter.role.admin",
  technician: "counter.role.technician",
};
