/**
 * The headers a security reviewer expects on every response: a Content-Security-Policy the
 * screens run under, `X-Content-Type-Options: nosniff`, no framing, no referrer, and the rest of
 * helmet's set. helmet (the library) decides the headers; galleyd computes each policy's headers
 * once at start and sets them with `reply.headers()` on every response (server.ts). The Fastify
 * wrapper, @fastify/helmet, builds helmet's middleware anew on every request: measured on the
 * 2-core VM, ping over HTTP ran at ~6,300/s with it against ~8,500/s this way (~9,300/s bare).
 *
 * Routes that serve something other than the built screens pick another policy through their
 * `config.securityHeaders`, built here, so every policy lives in this file.
 *
 * Why these choices, for an appliance on a store LAN served over plain HTTP:
 * - no `upgrade-insecure-requests` and no HSTS: they would send the screens to an https:// the
 *   board does not serve (a kiosk would go blank);
 * - `connect-src 'self'`: the API and the `/ws` push (CSP 3 lets 'self' match ws: on the same host);
 * - `img-src 'self' data: blob:`: menu pictures, the empty favicon, the test-print preview;
 * - Lit styles are constructable stylesheets, which `style-src 'self'` allows without 'unsafe-inline'.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import helmet, { type HelmetOptions } from "helmet";

/** Response headers of one policy, names in lower case. */
export type SecurityHeaders = Readonly<Record<string, string>>;

declare module "fastify" {
  interface FastifyContextConfig {
    /** This route's security headers instead of the screens' (security-headers.ts). */
    securityHeaders?: SecurityHeaders;
  }
}

type Directives = Record<string, string[]>;

/** The policy of the screens (kiosk, kitchen, board, admin) and of every other response. */
export const SCREEN_DIRECTIVES: Readonly<Directives> = {
  "default-src": ["'self'"],
  "script-src": ["'self'"],
  "script-src-attr": ["'none'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'"],
  "connect-src": ["'self'"],
  "media-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

const BASE: HelmetOptions = {
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: "no-referrer" },
  xFrameOptions: { action: "deny" },
};

/** The headers helmet sets for `directives` (its middleware only calls setHeader and removeHeader). */
function headersFor(directives: Readonly<Directives>): SecurityHeaders {
  const headers = new Map<string, string>();
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), Array.isArray(value) ? value.join(", ") : String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  const apply = helmet({ ...BASE, contentSecurityPolicy: { useDefaults: false, directives } });
  apply({} as unknown as IncomingMessage, response as unknown as ServerResponse, (error) => {
    if (error !== undefined)
      throw error instanceof Error ? error : new Error("helmet refused the security header options");
  });
  return Object.freeze(Object.fromEntries(headers));
}

/** Every response unless its route says otherwise. */
export const SCREEN_HEADERS = headersFor(SCREEN_DIRECTIVES);

/**
 * Uploaded menu pictures: even a sanitised SVG opened on its own cannot run script, load anything
 * or reach the admin's token (`sandbox` gives it an opaque origin).
 */
export const PICTURE_HEADERS = headersFor({ "default-src": ["'none'"], "style-src": ["'unsafe-inline'"], sandbox: [] });

/** A page galleyd writes itself with inline `<style>` (and `<script>`): allowed by their hashes, nothing else inline. */
export function inlinePageHeaders(inline: {
  styles?: readonly string[];
  scripts?: readonly string[];
}): SecurityHeaders {
  const hashes = (texts: readonly string[] | undefined) =>
    (texts ?? []).map((text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`);
  return headersFor({
    ...SCREEN_DIRECTIVES,
    "script-src": ["'self'", ...hashes(inline.scripts)],
    "style-src": ["'self'", ...hashes(inline.styles)],
  });
}
