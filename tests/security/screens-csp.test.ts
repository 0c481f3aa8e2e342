/**
 * Finding 5 in Chromium: every screen works under the Content-Security-Policy (no violation while
 * it loads, connects its push socket and talks to the API), the policy is really enforced (an
 * injected inline script does not run), and an SVG that a script-bearing upload left on disk runs
 * nothing when opened on its own, thanks to the pictures' sandbox.
 */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Page } from "playwright-core";
import { ADMIN_PIN } from "../helpers/test-app.ts";
import { LANDSCAPE, PORTRAIT, startHarness, waitForExpression, type Harness } from "../e2e/support/harness.ts";
import { EVIL_SVG } from "./fixtures.ts";

/** Records CSP violations from the first moment of every document. */
const RECORD_VIOLATIONS = `
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.effectiveDirective + " " + (e.blockedURI || "inline")), true);
`;

function violations(page: Page): Promise<string[]> {
  return page.evaluate("window.__csp");
}

/** True when an inline script injected into the page runs (it must not); waits for the refusal to be reported. */
async function inlineScriptRuns(page: Page): Promise<boolean> {
  await page.evaluate(`(() => {
    const s = document.createElement("script");
    s.textContent = "window.__inlineRan = true";
    document.head.append(s);
  })()`);
  await waitForExpression(page, `window.__inlineRan === true || window.__csp.some((v) => v.startsWith("script-src"))`);
  return page.evaluate<boolean>("window.__inlineRan === true");
}

describe("screens under the Content-Security-Policy", { timeout: 90_000 }, () => {
  let h: Harness;
  before(async () => {
    const flagFile = join(mkdtempSync(join(tmpdir(), "galley-csp-")), "needs-setup");
    writeFileSync(flagFile, "waiting\n");
    h = await startHarness({ config: { setup: { flagFile } } });
    await h.context.addInitScript(RECORD_VIOLATIONS);
  });
  after(async () => {
    await h.close();
  });

  it("kiosk, kitchen and board load, connect and render with no violation", async () => {
    for (const [path, viewport] of [
      ["/kiosk", PORTRAIT],
      ["/kitchen", LANDSCAPE],
      ["/board", LANDSCAPE],
    ] as const) {
      const page = await h.open(path, viewport);
      const response = await page.reload();
      assert.match(response?.headers()["content-security-policy"] ?? "", /script-src 'self'/);
      // The push socket is up (connect-src 'self' covers ws:) and the app drew itself.
      await waitForExpression(page, `document.querySelector("body > *")?.shadowRoot?.childElementCount > 0`);
      if (path !== "/kiosk") await page.locator('galley-connection-status [data-state="online"]').waitFor();
      assert.deepEqual(await violations(page), [], path);
      assert.equal(await inlineScriptRuns(page), false, `${path}: an injected inline script must not run`);
      assert.ok(
        (await violations(page)).some((v) => v.startsWith("script-src")),
        "and the refusal is reported",
      );
    }
  });

  it("admin signs in and shows its cards with no violation", async () => {
    const page = await h.open("/admin", LANDSCAPE);
    for (const digit of ADMIN_PIN) await page.getByRole("button", { name: digit, exact: true }).click();
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText(/Signed in as .* \(admin\)/).waitFor();
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    assert.deepEqual(await violations(page), []);
  });

  it("the setup page runs its own inline script and style (allowed by hash) and nothing else", async () => {
    const page = await h.open("/setup", PORTRAIT);
    await page.getByLabel("Code on the board's screen").fill("000000");
    await page.getByLabel("Board name").fill("galley-csp");
    await page.getByRole("button", { name: "Set up the board" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /not the code/ })
      .waitFor();
    assert.notEqual(await page.evaluate("getComputedStyle(document.body).fontFamily"), "", "its style applies");
    assert.deepEqual(await violations(page), []);
    assert.equal(await inlineScriptRuns(page), false);
  });

  it("an SVG with a script left on disk runs nothing when opened on its own", async () => {
    mkdirSync(join(h.app.dataDir, "pictures"), { recursive: true });
    writeFileSync(join(h.app.dataDir, "pictures", "left-over.svg"), EVIL_SVG);
    const page = await h.open("/media/pictures/left-over.svg", LANDSCAPE);
    await page.waitForLoadState("load");
    assert.notEqual(await page.title(), "pwned");
    h.errors.length = 0; // the refused script is reported on the console, as it should be
  });
});
