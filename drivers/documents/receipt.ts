import type { PrintBlock, PrintDocument } from "../escpos/print-document.ts";
import type { PrinterProfile } from "../printer/profiles.ts";
import { formatDateTime, formatMoney, leftRight, priced, rule, wrap } from "./layout.ts";
import type { ReceiptData } from "./types.ts";

/** Indent of option lines under their item. */
const OPTION_INDENT = 4;

/**
 * The customer receipt: logo, store header, big order number, items with their options and
 * prices right-aligned, subtotal, discounts, tax breakdown, total, payments and change, a QR code
 * to the order's status page, footer. Laid out for the profile's column count (32/42/48).
 */
export function renderReceipt(
  data: ReceiptData,
  profile: Pick<PrinterProfile, "columns" | "dotsPerLine">,
): PrintDocument {
  const width = profile.columns;
  const money = (minor: number): string => formatMoney(minor, data.currency, data);
  const blocks: PrintBlock[] = [];
  const line = (text: string, extra: Partial<Extract<PrintBlock, { type: "line" }>> = {}): void => {
    blocks.push({ type: "line", text, ...extra });
  };

  if (data.copyBanner !== undefined)
    line(` ${data.copyBanner} `, { align: "center", style: { invert: true, bold: true, width: 2 } });
  if (data.logo !== undefined && data.logo.width <= profile.dotsPerLine)
    blocks.push({ type: "image", image: data.logo, align: "center" });
  line(data.store.name, { align: "center", style: { bold: true, height: 2 } });
  for (const text of data.store.addressLines ?? []) line(text, { align: "center" });
  if (data.store.phone !== undefined) line(data.store.phone, { align: "center" });
  if (data.store.taxId !== undefined) line(`VAT ${data.store.taxId}`, { align: "center" });
  line(rule(width));

  line("ORDER", { align: "center" });
  line(data.orderNumber, { align: "center", style: { bold: true, width: 2, height: 2 } });
  if (data.service !== undefined && data.service !== "")
    for (const text of wrap(data.service, width)) line(text, { align: "center", style: { bold: true, height: 2 } });
  const context = [data.channel, data.serviceMode].filter((t): t is string => t !== undefined && t !== "").join(" · ");
  if (context !== "") line(context, { align: "center" });
  line(formatDateTime(data.placedAt, data), { align: "center" });
  line(rule(width));

  for (const item of data.lines) {
    for (const text of priced(`${item.quantity} x ${item.name}`, money(item.totalMinor), width, OPTION_INDENT))
      line(text);
    if (item.quantity > 1 && item.unitPriceMinor !== undefined)
      line(`${" ".repeat(OPTION_INDENT)}${item.quantity} @ ${money(item.unitPriceMinor)}`);
    for (const option of item.options ?? []) {
      const price = option.priceMinor !== undefined && option.priceMinor !== 0 ? money(option.priceMinor) : "";
      for (const text of priced(option.name, price, width, OPTION_INDENT + 2, OPTION_INDENT)) line(text);
    }
  }
  line(rule(width));

  line(leftRight("Subtotal", money(data.subtotalMinor), width));
  for (const discount of data.discounts ?? [])
    line(leftRight(discount.label, money(-Math.abs(discount.amountMinor)), width));
  if (!data.taxesIncluded) for (const tax of data.taxes) line(leftRight(tax.label, money(tax.taxMinor), width));
  line(leftRight("TOTAL", money(data.totalMinor), width), { style: { bold: true, height: 2 } });
  if (data.taxesIncluded && data.taxes.length > 0) {
    for (const tax of data.taxes) {
      const base = tax.baseMinor === undefined ? "" : ` of ${money(tax.baseMinor)}`;
      line(leftRight(`incl. ${tax.label}${base}`, money(tax.taxMinor), width));
    }
  }
  line(rule(width));

  for (const payment of data.payments) {
    const label = payment.reference === undefined ? payment.method : `${payment.method} ${payment.reference}`;
    line(leftRight(label, money(payment.amountMinor), width));
    for (const slip of (payment.slipLines ?? []).flatMap((t) => wrap(t, width))) line(slip);
  }
  if (data.changeMinor !== undefined && data.changeMinor > 0)
    line(leftRight("Change", money(data.changeMinor), width), { style: { bold: true } });

  if (data.statusUrl !== undefined) {
    line(rule(width));
    blocks.push({ type: "qr", data: data.statusUrl, moduleSize: width >= 42 ? 6 : 5, align: "center" });
    line("Scan to follow your order", { align: "center" });
  }
  if (data.footerLines !== undefined && data.footerLines.length > 0) {
    blocks.push({ type: "feed", lines: 1 });
    for (const text of data.footerLines.flatMap((t) => wrap(t, width))) line(text, { align: "center" });
  }
  blocks.push({ type: "cut" });
  return { blocks };
}
