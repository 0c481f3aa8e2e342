/**
 * Reading what an Adyen terminal answers. The library hands back its deserialised objects, but
 * nothing in them is checked: every field may be missing, of another type, or carry control
 * characters. These readers take `unknown` and return plain typed values, so the driver never
 * touches an unchecked field: text is stripped of control characters, amounts are converted from
 * the Terminal API's decimal major units to integer minor units, PANs keep only their last four
 * digits clear.
 */
import { withoutControls } from "../../escpos/printable-text.ts";

/** A JSON object as read from the terminal. */
export type Json = Readonly<Record<string, unknown>>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `obj.a.b.c` when every step is an object, else undefined. */
export function path(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function stringAt(value: unknown, ...keys: string[]): string | undefined {
  const found = path(value, ...keys);
  return typeof found === "string" ? found : undefined;
}

export function numberAt(value: unknown, ...keys: string[]): number | undefined {
  const found = path(value, ...keys);
  return typeof found === "number" && Number.isFinite(found) ? found : undefined;
}

export function arrayAt(value: unknown, ...keys: string[]): unknown[] {
  const found = path(value, ...keys);
  return Array.isArray(found) ? (found as unknown[]) : [];
}

/** `text` without control characters, at most `max` characters (a receipt line or a reason). */
export function cleanText(text: string, max = 200): string {
  const cleaned = withoutControls(text);
  return cleaned.length > max ? cleaned.slice(0, max) : cleaned;
}

/** Any run of 12–19 digits (optionally spaced) keeps only its last four digits clear. */
function maskLongNumbers(line: string): string {
  return line.replace(/\d(?:[ -]?\d){11,18}/g, (run) => {
    const digits = run.replace(/\D/g, "");
    return "*".repeat(digits.length - 4) + digits.slice(-4);
  });
}

/** Digits after the decimal point in `currency` (EUR 2, JPY 0, KWD 3). */
export function currencyExponent(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** Minor units → the Terminal API's decimal amount (1099 EUR → 10.99). */
export function toMajor(minor: number, currency: string): number {
  const exponent = currencyExponent(currency);
  return Number((minor / 10 ** exponent).toFixed(exponent));
}

/** The Terminal API's decimal amount → minor units (10.99 EUR → 1099). */
export function toMinor(major: number, currency: string): number {
  return Math.round(major * 10 ** currencyExponent(currency));
}

/** The `Response` block of a service response. */
export interface NexoResult {
  result: "Success" | "Partial" | "Failure";
  /** e.g. Refusal, Cancel, Aborted, Busy, NotFound, InProgress; "" when absent. */
  errorCondition: string;
  /** A readable reason from AdditionalResponse (message / refusalReason), cleaned; "" when none. */
  message: string;
}

export function readResult(response: unknown): NexoResult {
  const raw = stringAt(response, "Result");
  const result = raw === "Success" || raw === "Partial" ? raw : "Failure";
  const errorCondition = cleanText(stringAt(response, "ErrorCondition") ?? "", 40);
  return { result, errorCondition, message: additionalMessage(stringAt(response, "AdditionalResponse") ?? "") };
}

/** AdditionalResponse is url-encoded key/value pairs (`message=…&refusalReason=…`). */
function additionalMessage(additional: string): string {
  if (additional === "") return "";
  const params = new URLSearchParams(additional);
  const parts = [params.get("message"), params.get("refusalReason")].filter(
    (part): part is string => part !== null && part !== "",
  );
  return cleanText([...new Set(parts)].join(": "), 160);
}

/** "541333******0019" → "************0019"; undefined when it does not end in four digits. */
export function maskPan(pan: string | undefined): string | undefined {
  if (pan === undefined) return undefined;
  const chars = pan.replace(/[^0-9*xX]/g, "");
  const last4 = chars.slice(-4);
  if (!/^\d{4}$/.test(last4)) return undefined;
  return "*".repeat(Math.max(chars.length - 4, 0)) + last4;
}

const BRANDS: Readonly<Record<string, string>> = {
  mc: "Mastercard",
  visa: "VISA",
  amex: "American Express",
  maestro: "Maestro",
  girocard: "Girocard",
  diners: "Diners Club",
  discover: "Discover",
  jcb: "JCB",
  cup: "UnionPay",
  vpay: "V PAY",
  bcmc: "Bancontact",
  interac: "Interac",
  electron: "Visa Electron",
};

/** Adyen's PaymentBrand code ("mc", "visa_applepay") → a name a receipt may show. */
export function brandName(code: string | undefined): string | undefined {
  if (code === undefined || code.trim() === "") return undefined;
  const cleaned = cleanText(code.trim(), 40);
  const base = cleaned.toLowerCase().split("_")[0] ?? "";
  return BRANDS[base] ?? cleaned;
}

/**
 * One receipt as lines. Adyen sends `OutputFormat: "Text"` with one OutputText per line whose Text
 * is url-encoded `key=…&name=…&value=…` (a `filler` key is a blank line); `OutputFormat: "XHTML"`
 * carries base64 XHTML in OutputXHTML. Plain text is kept as it is. Lines are cleaned and long
 * digit runs masked.
 */
export function receiptLines(receipts: unknown, prefer: "CustomerReceipt" | "CashierReceipt"): string[] {
  const list = Array.isArray(receipts) ? (receipts as unknown[]) : [];
  const chosen = list.find((receipt) => stringAt(receipt, "DocumentQualifier") === prefer) ?? list[0];
  if (chosen === undefined) return [];
  const content = path(chosen, "OutputContent");
  const lines: string[] = [];
  if (stringAt(content, "OutputFormat") === "XHTML") {
    const xhtml = Buffer.from(stringAt(content, "OutputXHTML") ?? "", "base64").toString("utf8");
    const text = xhtml.replace(/<br\s*\/?>|<\/p>|<\/div>/gi, "\n").replace(/<[^>]*>/g, "");
    lines.push(...text.split(/\r?\n/).map(decodeEntities));
  } else {
    let pending = "";
    for (const item of arrayAt(content, "OutputText").slice(0, 500)) {
      pending += receiptText(stringAt(item, "Text") ?? "");
      if (path(item, "EndOfLineFlag") === false) continue;
      lines.push(pending);
      pending = "";
    }
    if (pending !== "") lines.push(pending);
  }
  return lines.map((line) => maskLongNumbers(cleanText(line, 120)).trimEnd());
}

function receiptText(text: string): string {
  if (!/^(?:[\w.%-]+=[^&]*)(?:&[\w.%-]+=[^&]*)*$/.test(text)) return text;
  const params = new URLSearchParams(text);
  if (!params.has("key") && !params.has("name")) return text;
  if (params.get("key") === "filler") return "";
  const name = params.get("name") ?? "";
  const value = params.get("value") ?? "";
  if (name === "") return value;
  return value === "" ? name : `${name}: ${value}`;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;/g, " ")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}
