/**
 * End-to-end harness: the real galleyd (tests/helpers/test-app.ts, demo menu, development mode so
 * local screens pair themselves) and Debian's Chromium driven by playwright-core, with a fresh
 * profile per run. Screenshots go to artifacts/e2e/ (ignored by git).
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import { pollUntil, waitFor } from "../../helpers/wait.ts";

export const CHROMIUM = process.env.GALLEY_CHROMIUM ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export const ROOT = join(import.meta.dirname, "..", "..", "..");
export const ARTIFACTS = join(ROOT, "artifacts", "e2e");

export const PORTRAIT = { width: 1080, height: 1920 } as const;
export const LANDSCAPE = { width: 1920, height: 1080 } as const;
export const TABLET = { width: 1280, height: 800 } as const;

export interface OpenOptions {
  /** Device tokens the screen finds in its storage (a screen paired before: production mode). */
  tokens?: Partial<Record<"kiosk" | "kitchen" | "board", string>>;
  /** Open from `http://localhost:<port>` instead of 127.0.0.1: another origin, so another screen with its own storage. */
  otherOrigin?: boolean;
  /** Runs before the page loads (routes, WebSocket interception). */
  prepare?: (page: Page) => Promise<void>;
}

export interface Harness {
  app: TestApp;
  context: BrowserContext;
  /** Opens a screen; page errors and console errors are collected in `errors`. */
  open(path: string, viewport?: { width: number; height: number }, options?: OpenOptions): Promise<Page>;
  errors: string[];
  close(): Promise<void>;
}

export async function startHarness(options: { config?: Record<string, unknown> } = {}): Promise<Harness> {
  if (!existsSync(join(ROOT, "ui", "dist", "kiosk.html")))
    throw new Error("the screens are not built: run `npm run build:ui` (npm test and npm run test:e2e do it)");
  const app = await startTestApp({ menu: "demo", ...(options.config ? { config: options.config } : {}) });
  const profile = mkdtempSync(join(tmpdir(), "galley-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport: LANDSCAPE,
    timeout: 30_000,
  });
  context.setDefaultTimeout(10_000);
  const errors: string[] = [];
  const initial = context.pages();
  return {
    app,
    context,
    errors,
    async open(path, viewport = LANDSCAPE, options = {}) {
      const page = initial.shift() ?? (await context.newPage());
      await page.setViewportSize(viewport);
      if (options.tokens) {
        const entries = Object.entries(options.tokens).map(([role, token]) => [`galley.token.${role}`, token]);
        await page.addInitScript((pairs: string[][]) => {
          for (const [key, value] of pairs)
            if (key && value && localStorage.getItem(key) === null) localStorage.setItem(key, value);
        }, entries);
      }
      page.on("pageerror", (error) => errors.push(`${path}: ${error.message}`));
      page.on("console", (message) => {
        if (message.type() === "error" && !/Failed to load resource|WebSocket connection/.test(message.text()))
          errors.push(`${path}: ${message.text()}`);
      });
      await options.prepare?.(page);
      await page.goto(`${options.otherOrigin ? app.url.replace("127.0.0.1", "localhost") : app.url}${path}`);
      return page;
    },
    async close() {
      await context.close();
      await app.stop();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Waits until `locator`'s text matches (it may be re-rendered meanwhile). */
export async function assertText(locator: Locator, pattern: RegExp, timeoutMs = 5_000): Promise<void> {
  let text = "";
  const matched = await pollUntil(
    async () => {
      text = (await locator.textContent({ timeout: timeoutMs })) ?? "";
      return pattern.test(text);
    },
    { what: `text matching ${pattern}`, timeoutMs, intervalMs: 50 },
  );
  // On a timeout the assertion shows the last text seen.
  if (!matched) assert.match(text, pattern);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await settled(page);
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** The accessible name of the focused element, looking through shadow roots. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    let el = document.activeElement;
    while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
    if (!el) return "";
    const label = el.labels && el.labels[0] ? el.labels[0].textContent : "";
    return (el.getAttribute("aria-label") || label || el.textContent || "").replace(/\\s+/g, " ").trim();
  })()`);
}

/** Presses Tab until the focused element's name matches (a keyboard-only user finding a control). */
export async function tabTo(page: Page, name: RegExp, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i += 1) {
    await page.keyboard.press("Tab");
    if (name.test(await focusedName(page))) return;
  }
  throw new Error(`no control named ${String(name)} within ${maxTabs} tabs (last: "${await focusedName(page)}")`);
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown; html: string }[];
}

const AXE_SOURCE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
let axeSource: string | undefined;

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await settled(page);
  // Evaluated over the DevTools protocol, not added as a <script>: the screens' CSP refuses inline scripts.
  axeSource ??= readFileSync(AXE_SOURCE, "utf8");
  await page.evaluate(axeSource);
  const violations = await page.evaluate<AxeViolation[]>(
    `axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html, data: n.any?.[0]?.data })) })))`,
  );
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/**
 * Waits until the JavaScript `expression` is true in the page, checking every 50 ms. Playwright's
 * `waitForFunction` with a string evaluates it with `eval` inside the page, which the screens'
 * Content-Security-Policy refuses; `page.evaluate` goes through the DevTools protocol instead.
 */
export async function waitForExpression(page: Page, expression: string, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => page.evaluate<boolean>(`Boolean(${expression})`), {
    what: expression,
    timeoutMs,
    intervalMs: 50,
  });
}

/** Waits until entrance animations (fades, slides) are over; endless ones (the attract loop's pulse) don't count. */
export async function settled(page: Page): Promise<void> {
  await waitForExpression(
    page,
    `(() => {
      const roots = [document];
      for (let i = 0; i < roots.length; i += 1) {
        for (const el of roots[i].querySelectorAll("*")) if (el.shadowRoot) roots.push(el.shadowRoot);
      }
      return roots.every((root) => root.getAnimations().every((a) => a.playState !== "running" || a.effect?.getTiming().iterations === Infinity));
    })()`,
    5_000,
  );
}
