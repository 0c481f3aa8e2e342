/** The counter's cash, orders, clock and sold-out panels (German). */
import type { counterCash as en } from "../en/counter-cash.ts";

export const counterCash: Record<keyof typeof en, string> = {};
