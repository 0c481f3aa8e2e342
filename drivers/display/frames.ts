/**
 * The customer-display screens as two rows of text (docs/architecture.md#escpos-facts): pure
 * functions, so the appliance and tests can see a frame before it is sent.
 */
export type DisplayFrame = readonly [string, string];

const cells = (text: string): number => Array.from(text).length;

export function centre(text: string, columns: number): string {
  const width = Math.min(cells(text), columns);
  const left = Math.floor((columns - width) / 2);
  return " ".repeat(left) + Array.from(text).slice(0, columns).join("");
}

/** `left` and `right` on one row, `right` flush right; `left` is cut to make room. */
export function spread(left: string, right: string, columns: number): string {
  const r = Array.from(right).slice(0, columns).join("");
  const room = Math.max(0, columns - cells(r) - 1);
  const l = Array.from(left).slice(0, room).join("");
  return l + " ".repeat(columns - cells(l) - cells(r)) + r;
}

export function welcomeFrame(line1: string, line2 = "", columns = 20): DisplayFrame {
  return [centre(line1, columns), centre(line2, columns)];
}

/** The line just added: name on top, `2 x` and the line price below. */
export function itemFrame(name: string, quantity: number, price: string, columns = 20): DisplayFrame {
  return [name, spread(`${quantity} x`, price, columns)];
}

export function totalFrame(total: string, label = "TOTAL", columns = 20): DisplayFrame {
  return [label, spread("", total, columns)];
}

export function changeFrame(paid: string, change: string, columns = 20): DisplayFrame {
  return [spread("PAID", paid, columns), spread("CHANGE", change, columns)];
}

export function orderReadyFrame(orderNumber: string | number, columns = 20, line2 = "Thank you!"): DisplayFrame {
  return [centre(`Order ${orderNumber} ready`, columns), centre(line2, columns)];
}
