/**
 * The setup page in Chromium, as a technician on the board's own screen uses it: read the code,
 * fill the form, send it, and see the board take it over. (The board's import and the error path
 * are in tests/integration/field/setup-page.test.ts.)
 */
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { assertText, PORTRAIT, screenshot, seriousViolations, startHarness, type Harness } from "./support/harness.ts";

describe("board setup page in Chromium", { timeout: 60_000 }, () => {
  let h: Harness;
  before(async () => {
    const flagFile = join(mkdtempSync(join(tmpdir(), "galley-setup-flag-")), "needs-setup");
    writeFileSync(flagFile, "no setup file at first boot\n");
    h = await startHarness({ config: { setup: { flagFile } } });
  });
  after(async () => {
    await h.close();
  });

  it("shows the code, takes the form with that code, and hands the setup to the board", async () => {
    const page = await h.open("/setup", PORTRAIT);
    const code = (await page.locator("#screen-code").textContent()) ?? "";
    assert.match(code, /^[0-9]{6}$/);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel("Code on the board's screen").fill(code);
    await page.getByLabel("Board name").fill("galley-store-7");
    await page.getByLabel("Role").selectOption("hub");
    await page.getByLabel("This board's screen shows").fill("/kiosk");
    await page.getByLabel("Time zone").fill("Europe/Vienna");
    await page.getByLabel("Network name").fill("Shop");
    await page.getByLabel("Password").fill("wifi-secret-7");
    await page.getByLabel("Admin PIN").fill("246810");
    await screenshot(page, "setup-form");
    await page.getByRole("button", { name: "Set up the board" }).click();
    await assertText(page.getByRole("status"), /Applying the setup/);
    const request = join(h.app.dataDir, "setup-request.json");
    assert.ok(existsSync(request));
    assert.deepEqual(JSON.parse(readFileSync(request, "utf8")), {
      name: "galley-store-7",
      role: "hub",
      display: "/kiosk",
      timezone: "Europe/Vienna",
      wifi: { ssid: "Shop", psk: "wifi-secret-7" },
    });
    assert.equal((await h.app.api("POST", "/api/auth/login", { body: { pin: "246810" } })).status, 200);
    assert.deepEqual(h.errors, []);
  });
});
