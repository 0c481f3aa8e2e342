/**
 * The setup page of a board that booted without a setup file, end to end on one machine: galleyd
 * over real HTTP, the files it hands over, and the board's root side (galley-provision.ts
 * apply-request, run as the image runs it) against a temporary data partition.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { SetupStatus } from "../../../protocol/schemas/setup.ts";
import { SETUP_CODE_ATTEMPTS } from "../../../appliance/setup/board-setup.ts";
import { ADMIN_PIN, startTestApp, type TestApp } from "../../helpers/test-app.ts";

const PROVISION = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "images",
  "overlay",
  "usr",
  "lib",
  "galley",
  "libexec",
  "galley-provision.ts",
);

describe("board setup page", () => {
  let t: TestApp;
  let root: string;
  const flag = () => join(root, "config", "needs-setup");
  const request = () => join(root, "galley", "setup-request.json");
  const status = async () => (await t.api<SetupStatus>("GET", "/api/setup")).body;
  const form = (code: string, extra: Record<string, unknown> = {}) => ({
    code,
    name: "galley-store-12",
    role: "hub",
    display: "/kitchen",
    timezone: "Europe/Berlin",
    store: { name: "Store 12", currency: "EUR" },
    wifi: { ssid: "Shop", psk: "wifi-secret-1", country: "DE" },
    ...extra,
  });
  /** The board's root side, as galley-setup-request.service runs it. */
  const applyOnBoard = () =>
    spawnSync(process.execPath, [PROVISION, "apply-request"], {
      env: { ...process.env, GALLEY_DATA_ROOT: root, GALLEY_BOOT_DIR: join(root, "boot") },
      encoding: "utf8",
      timeout: 30_000,
    });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "galley-setup-"));
    mkdirSync(join(root, "config"), { recursive: true });
    mkdirSync(join(root, "galley"), { recursive: true });
    writeFileSync(flag(), "no setup file at first boot\n");
    t = await startTestApp({ dataDir: join(root, "galley"), config: { setup: { flagFile: flag() } } });
  });
  after(async () => {
    await t.stop();
  });

  it("shows the board's own screen the page and the code", async () => {
    const page = await fetch(`${t.url}/setup`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get("content-type") ?? "", /text\/html/);
    const html = await page.text();
    const { code, state } = await status();
    assert.equal(state, "waiting");
    assert.match(code ?? "", /^[0-9]{6}$/);
    assert.ok(html.includes(`id="screen-code">${String(code)}<`), "the code is on the local screen");
    assert.match(html, /Set up this Galley board/);
  });

  it("refuses a wrong code and writes nothing; too many wrong codes change it", async () => {
    const first = (await status()).code;
    const wrong = first === "000000" ? "000001" : "000000";
    const refused = await t.api<{ error: { code: string } }>("POST", "/api/setup", { body: form(wrong) });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, "setup_code_invalid");
    assert.equal(existsSync(request()), false);
    for (let i = 1; i < SETUP_CODE_ATTEMPTS; i += 1) await t.api("POST", "/api/setup", { body: form(wrong) });
    assert.notEqual((await status()).code, first, "a new code after five wrong ones");
  });

  it("refuses a form with bad fields before looking at the code", async () => {
    const bad = await t.api<{ error: { code: string } }>("POST", "/api/setup", {
      body: form(String((await status()).code), { name: "Bad Name", adminPin: "12" }),
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "validation_failed");
    assert.equal(existsSync(request()), false);
  });

  it("lists what the board's import found wrong, and keeps waiting", async () => {
    const sent = await t.api<SetupStatus>("POST", "/api/setup", {
      body: form(String((await status()).code), { timezone: "Mars/Olympus" }),
    });
    assert.equal(sent.status, 202);
    assert.equal(sent.body.state, "applying");
    const board = applyOnBoard();
    assert.equal(board.status, 1, board.stdout + board.stderr);
    assert.equal(existsSync(request()), false, "consumed either way");
    const after = await status();
    assert.equal(after.state, "waiting");
    assert.deepEqual(after.errors, ['timezone: unknown time zone "Mars/Olympus"']);
    assert.equal(existsSync(flag()), true);
  });

  it("sets the admin PIN in the journal, hands the rest over without secrets it need not keep, and the board imports it", async () => {
    const code = String((await status()).code);
    const sent = await t.api<SetupStatus>("POST", "/api/setup", { body: form(code, { adminPin: "90210" }) });
    assert.equal(sent.status, 202);
    assert.equal(statSync(request()).mode & 0o777, 0o600);
    const handed = readFileSync(request(), "utf8");
    assert.equal((JSON.parse(handed) as { name: string }).name, "galley-store-12");
    for (const secret of [code, "90210", "adminPin", '"code"'])
      assert.ok(!handed.includes(secret), `${secret} stays out of the file`);
    assert.equal(
      (await t.api("POST", "/api/auth/login", { body: { pin: "90210" } })).status,
      200,
      "the new admin PIN works",
    );
    assert.equal(
      (await t.api("POST", "/api/auth/login", { body: { pin: ADMIN_PIN } })).status,
      401,
      "the board's own PIN is replaced",
    );
    assert.equal((await t.api("POST", "/api/setup", { body: form(code) })).status, 403, "one code, one submission");

    const board = applyOnBoard();
    assert.equal(board.status, 0, board.stdout + board.stderr);
    assert.equal(existsSync(flag()), false);
    assert.equal(readFileSync(join(root, "config", "hostname"), "utf8"), "galley-store-12\n");
    assert.match(readFileSync(join(root, "system", "nm-connections", "galley-wifi.nmconnection"), "utf8"), /ssid=Shop/);
    assert.equal(
      (JSON.parse(readFileSync(join(root, "config", "galley.json"), "utf8")) as { store: { timezone: string } }).store
        .timezone,
      "Europe/Berlin",
    );
    assert.deepEqual(await status(), { state: "done", errors: [] });
    assert.match(await (await fetch(`${t.url}/setup`)).text(), /This board is set up/);
    const again = await t.api<{ error: { code: string } }>("POST", "/api/setup", { body: form("123456") });
    assert.equal(again.status, 404);
    assert.equal(again.body.error.code, "setup_not_pending");
  });
});
