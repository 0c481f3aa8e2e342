/**
 * What leaves the board in a support bundle: configuration without secrets, logs without
 * tokens, PINs, Wi-Fi keys or customer data. Keys are judged by name (a secret's name gives
 * it away), and known secret values are also removed wherever they appear in free text.
 */

/** Keys whose values are secrets. */
const SECRET_KEY =
  /(token|secret|password|passwd|psk|pin|apikey|api_key|privatekey|private_key|credential|authorization|cookie|hash|signature|refresh|clientsecret)/i;
/** Keys whose values are customer data or whole request bodies (which can hold it). */
const CUSTOMER_KEY =
  /^(note|notes|pickupname|customer|customername|customeremail|customerphone|phone|email|address|body|payload|items|lines)$/i;

export const REDACTED = "[redacted]";
export const REMOVED = "[customer data removed]";

/** A deep copy with secret values redacted and customer data removed. */
export function redactValue(value: unknown, key = ""): unknown {
  if (key && CUSTOMER_KEY.test(key)) return REMOVED;
  if (key && SECRET_KEY.test(key) && value !== null && typeof value !== "object")
    return typeof value === "boolean" ? value : REDACTED;
  if (Array.isArray(value)) return value.map((v) => redactValue(v));
  if (typeof value === "object" && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = redactValue(v, k);
    return out;
  }
  return value;
}

const MAC = /\b([0-9a-f]{2}:){5}[0-9a-f]{2}\b/gi;
const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
const TOKEN_PARAM = /([?&](token|key|code|pin)=)[^&\s"']+/gi;
const LOCAL_TOKEN = /\bgld_[A-Za-z0-9_-]+/g;
const PSK_LINE = /^(\s*(psk|password|wpa-psk)\s*[=:]\s*).+$/gim;

/** Scrubs free text: known secret values, bearer tokens, token parameters, MAC addresses, host parts of IPv4 addresses. */
export function scrubText(text: string, secrets: readonly string[] = []): string {
  let out = text;
  for (const secret of [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join(REDACTED);
  }
  out = out
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(TOKEN_PARAM, `$1${REDACTED}`)
    .replace(LOCAL_TOKEN, REDACTED)
    .replace(PSK_LINE, `$1${REDACTED}`);
  out = out.replace(MAC, "xx:xx:xx:xx:xx:xx");
  out = out.replace(IPV4, (match, a: string, b: string) =>
    a === "127" || match === "0.0.0.0" ? match : `${a}.${b}.x.x`,
  );
  return out;
}

/** Scrubs a log: JSON lines (pino) are redacted by key first, then every line as text. */
export function scrubLog(text: string, secrets: readonly string[] = []): string {
  return text
    .split("\n")
    .map((line) => {
      const brace = line.indexOf("{");
      if (brace >= 0) {
        try {
          const parsed = JSON.parse(line.slice(brace)) as unknown;
          return scrubText(`${line.slice(0, brace)}${JSON.stringify(redactValue(parsed))}`, secrets);
        } catch {
          // not JSON: scrub as text
        }
      }
      return scrubText(line, secrets);
    })
    .join("\n");
}

/** Every string value under a secret-named key, to scrub from free text too. */
export function collectSecrets(value: unknown, key = "", into: string[] = []): string[] {
  if (typeof value === "string" && key && SECRET_KEY.test(key)) into.push(value);
  else if (Array.isArray(value)) for (const v of value) collectSecrets(v, key, into);
  else if (typeof value === "object" && value !== null)
    for (const [k, v] of Object.entries(value)) collectSecrets(v, k, into);
  return into;
}
