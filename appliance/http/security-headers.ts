/**
 * The headers a security reviewer expects on every response, set by @fastify/helmet: a
 * Content-Security-Policy the screens run under, `X-Content-Type-Options: nosniff`, no framing,
 * no referrer. Routes that serve something other than the built screens narrow or widen the
 * policy with a route-level `helmet` option built here, so every policy lives in this file.
 *
 * Why these choices, for an appliance on a store LAN served over plain HTTP:
 * - no `upgrade-insecure-requests` and no HSTS: they would send the screens to an https:// the
 *   board does not serve (a kiosk would go blank);
 * - `connect-src 'self'`: the API and the `/ws` push (CSP 3 lets 'self' match ws: on the same host);
 * - `img-src 'self' data: blob:`: menu pictures, the empty favicon, the test-print preview;
 * - Lit styles are constructable stylesheets, which `style-src 'self'` allows without 'unsafe-inline'.
 */
import { createHash } from "node:crypto";
import type { FastifyHelmetOptions } from "@fastify/helmet";

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

/** Registered once for the whole server. */
export const HELMET_OPTIONS: FastifyHelmetOptions = {
  global: true,
  contentSecurityPolicy: { useDefaults: false, directives: SCREEN_DIRECTIVES },
  strictTransportSecurity: false,
  crossOriginEmbedderPolicy: false,
  referrerPolicy: { policy: "no-referrer" },
  xFrameOptions: { action: "deny" },
};

/**
 * Uploaded menu pictures: even a sanitised SVG opened on its own cannot run script, load anything
 * or reach the admin's token (`sandbox` gives it an opaque origin).
 */
export const PICTURE_HELMET = {
  contentSecurityPolicy: { useDefaults: false, directives: { "default-src": ["'none'"], "style-src": ["'unsafe-inline'"], sandbox: [] } },
} as const satisfies FastifyHelmetOptions;

/** A page galleyd writes itself with inline `<style>` (and `<script>`): allowed by their hashes, nothing else inline. */
export function inlinePageHelmet(inline: { styles?: readonly string[]; scripts?: readonly string[] }): FastifyHelmetOptions {
  const hashes = (texts: readonly string[] | undefined) => (texts ?? []).map((text) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`);
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { ...SCREEN_DIRECTIVES, "script-src": ["'self'", ...hashes(inline.scripts)], "style-src": ["'self'", ...hashes(inline.styles)] },
    },
  };
}
