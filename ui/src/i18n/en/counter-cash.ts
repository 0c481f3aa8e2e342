/** The counter's cash, orders, clock and sold-out panels (English). */
export const counterCash = {} as const;
