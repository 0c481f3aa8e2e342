/** The admin shell: sign in with a PIN, see who is signed in, make a pairing code, pair a screen with it, unpair it. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ADMIN_PIN } from "../helpers/test-app.ts";
import { LANDSCAPE, screenshot, startHarness, type Harness } from "./support/harness.ts";

describe("admin", { timeout: 60_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  it("signs in with the PIN pad, pairs a screen with a code and unpairs it", async () => {
    const admin = await h.open("/admin", LANDSCAPE);
    await admin.getByRole("button", { name: "1" }).waitFor();
    await admin.getByRole("button", { name: "Sign in" }).waitFor();
    assert.equal(await admin.getByRole("button", { name: "Sign in" }).isDisabled(), true);
    await admin.getByLabel("PIN").fill("0000");
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByRole("alert").filter({ hasText: "Wrong PIN." }).waitFor();
    for (const digit of ADMIN_PIN) await admin.getByRole("button", { name: digit, exact: true }).click();
    await admin.getByRole("button", { name: "Sign in" }).click();
    await admin.getByText(/Signed in as .* \(admin\)/).waitFor();

    await admin.getByLabel("Screen", { exact: true }).selectOption("board");
    await admin.getByLabel("Name", { exact: true }).fill("Wall board");
    await admin.getByRole("button", { name: "Make a pairing code" }).click();
    await admin
      .getByTestId("pairing-code")
      .filter({ hasText: /[0-9A-Z]{4}/ })
      .waitFor();
    const code = (await admin.getByTestId("pairing-code").textContent())?.trim() ?? "";
    assert.match(code, /^[0-9A-Z]{4}-?[0-9A-Z]{4}$/);
    await screenshot(admin, "admin-pairing-code");

    const paired = await h.app.api<{ principal: { name: string; role: string } }>("POST", "/api/devices/pair", {
      body: { code },
    });
    assert.equal(paired.status, 201);
    assert.deepEqual(paired.body.principal.role, "board");
    await admin.reload();
    await admin.getByRole("button", { name: "Unpair Wall board" }).click();
    await admin
      .getByRole("row", { name: /Wall board/ })
      .getByText("Unpaired")
      .waitFor();
    await admin.getByRole("button", { name: "Sign out" }).click();
    await admin.getByRole("button", { name: "Sign in" }).waitFor();
    assert.deepEqual(h.errors, []);
  });

  it("in production, a new screen shows the pairing page and works once a code is typed in", async () => {
    const production = await startHarness({ config: { mode: "production" } });
    try {
      const kitchen = await production.open("/kitchen", LANDSCAPE);
      await kitchen.getByRole("heading", { name: "Pair this screen" }).waitFor();
      await screenshot(kitchen, "kitchen-pairing");
      const made = await production.app.api<{ code: string }>("POST", "/api/devices/pairing-codes", {
        token: production.app.adminToken,
        body: { role: "kitchen", name: "Pass" },
      });
      await kitchen.getByLabel("Pairing code").fill("nope-nope");
      await kitchen.getByRole("button", { name: "Pair" }).click();
      await kitchen.getByRole("alert").filter({ hasText: "Unknown or already used pairing code." }).waitFor();
      await kitchen.getByLabel("Pairing code").fill(made.body.code.toLowerCase());
      await kitchen.getByRole("button", { name: "Pair" }).click();
      await kitchen.locator('galley-connection-status [data-state="online"]').waitFor();
      assert.deepEqual(production.errors, []);
    } finally {
      await production.close();
    }
  });
});
