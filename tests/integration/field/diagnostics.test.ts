/**
 * Field diagnostics against the real app: the local doctor token (loopback only, diagnostics
 * read-only), the doctor over HTTP, heartbeats and screens, logs, and the support bundle, into
 * which the test plants secrets and customer data that must not come out.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";
import { localTokenPath, readLocalToken } from "../../../appliance/diagnostics/local-token.ts";
import { recentLogs } from "../../../appliance/lib/log-ring.ts";
import { buildSupportBundle } from "../../../appliance/diagnostics/support-bundle.ts";
import { createFieldOps } from "../../../appliance/diagnostics/field-ops.ts";
import { runDoctor } from "../../../appliance/diagnostics/doctor.ts";
import { galleydClient, runTool } from "../../../appliance/diagnostics/probe.ts";
import type { DoctorReport } from "../../../appliance/diagnostics/report.ts";

/** Every file of a .tar.gz as text, by name (our bundles are plain ustar). */
function untar(data: Buffer): Map<string, string> {
  const tar = gunzipSync(data);
  const files = new Map<string, string>();
  let at = 0;
  while (at + 512 <= tar.length) {
    const name = tar
      .subarray(at, at + 100)
      .toString("utf8")
      .replace(/\0.*$/s, "");
    if (!name) break;
    const size = Number.parseInt(
      tar
        .subarray(at + 124, at + 136)
        .toString("ascii")
        .replace(/\0.*$/s, "")
        .trim(),
      8,
    );
    files.set(name, tar.subarray(at + 512, at + 512 + size).toString("utf8"));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

let t: TestApp;
let localToken: string;
const SECRET_PIN = "83927461";
const PICKUP_NAME = "Zebulon Quartermain";
const NOTE = "leave it at the blue door, code 5591";
const UPSTREAM_TOKEN = "sq0atp-UPSTREAM-secret-7c1e9a";
const WIFI_PSK = "wifi-psk-very-secret-42";
let staffToken: string;

before(async () => {
  t = await startTestApp();
  localToken = readLocalToken(t.dataDir) ?? "";
  const created = await t.api("POST", "/api/users", {
    token: t.adminToken,
    body: { name: "Tech Tina", role: "technician", pin: SECRET_PIN },
  });
  assert.equal(created.status, 201);
  staffToken = (await t.api<{ token: string }>("POST", "/api/auth/login", { body: { pin: SECRET_PIN } })).body.token;
  const kiosk = await t.tokenFor("kiosk");
  const placed = await t.placeOrder(kiosk, [{ menuItemId: "fries", quantity: 1 }], {
    pickupName: PICKUP_NAME,
    note: NOTE,
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.body));
  // A careless log line of the kind a bug could write: tokens, a PIN, an order body.
  recentLogs.write(
    `${JSON.stringify({ level: "warn", msg: "request failed", headers: { authorization: `Bearer ${staffToken}` }, pin: SECRET_PIN, body: { pickupName: PICKUP_NAME, note: NOTE }, url: `/ws?token=${staffToken}` })}\n`,
  );
  recentLogs.write(
    `plain text leak: token ${localToken} and Bearer ${t.adminToken} from 192.168.17.42 mac b8:27:eb:12:34:56\n`,
  );
});
after(() => t.stop());

describe("local diagnostics token", () => {
  it("is written at start, mode 0600, and read back", () => {
    assert.match(localToken, /^gld_[A-Za-z0-9_-]{32}$/);
    assert.equal(statSync(localTokenPath(t.dataDir)).mode & 0o777, 0o600);
  });

  it("reads diagnostics from loopback and can do nothing else", async () => {
    assert.equal((await t.api("GET", "/api/diagnostics/journal", { token: localToken })).status, 200);
    assert.equal((await t.api("GET", "/api/diagnostics/screens", { token: localToken })).status, 200);
    const pairing = await t.api<{ error: { code: string } }>("POST", "/api/devices/pairing-codes", {
      token: localToken,
      body: { role: "kitchen", name: "x" },
    });
    assert.equal(pairing.status, 403);
    assert.equal(pairing.body.error.code, "forbidden");
    assert.equal((await t.api("GET", "/api/users", { token: localToken })).status, 403);
    assert.equal((await t.api("POST", "/api/orders", { token: localToken, body: {} })).status, 403);
  });

  it("a wrong token of the same form is refused, and the token is refused off loopback", async () => {
    assert.equal((await t.api("GET", "/api/diagnostics/journal", { token: `gld_${"x".repeat(32)}` })).status, 401);
    // The guard hook itself: same token, LAN address → not the local principal.
    const dataDir = mkdtempSync(join(tmpdir(), "galley-token-"));
    const ops = createFieldOps({
      config: { ...t.app.ctx.config, dataDir },
      log: t.app.ctx.log,
      version: "test",
      hub: { connected: () => [] },
      address: () => null,
    });
    const token = readLocalToken(dataDir) ?? "";
    const request = (address: string) =>
      ({ socket: { remoteAddress: address } }) as unknown as Parameters<typeof ops.localPrincipal>[0];
    assert.equal(ops.localPrincipal(request("192.168.1.50"), token), undefined);
    assert.equal(
      ops.localPrincipal(request("::ffff:127.0.0.1"), token)?.permissions.includes("diagnostics:read"),
      true,
    );
    assert.equal(ops.localPrincipal(request("127.0.0.1"), `${token}x`), undefined);
  });
});

describe("doctor over HTTP", () => {
  it("answers every check with a verdict in well under 10 s", async () => {
    const started = Date.now();
    const res = await t.api<DoctorReport>("GET", "/api/diagnostics/doctor", { token: staffToken });
    assert.equal(res.status, 200);
    assert.ok(Date.now() - started < 10_000);
    const ids = res.body.checks.map((c) => c.id);
    for (const id of [
      "service",
      "journal",
      "backup",
      "disk",
      "clock",
      "power",
      "network",
      "upstream",
      "display",
      "screens",
    ])
      assert.ok(ids.includes(id), `missing ${id}: ${ids.join(", ")}`);
    assert.ok(
      ids.some((id) => id === "devices" || id.startsWith("devices.")),
      "device lines",
    );
    assert.ok(
      ids.some((id) => id === "sync" || id.startsWith("sync.")),
      "sync lines",
    );
    const byId = new Map(res.body.checks.map((c) => [c.id, c]));
    assert.equal(byId.get("service")?.verdict, "ok");
    assert.equal(byId.get("journal")?.verdict, "ok");
    for (const c of res.body.checks)
      assert.ok(c.verdict === "ok" || c.hint || c.verdict === "unavailable", `${c.id} is ${c.verdict} without a hint`);
  });

  it("is refused to a kiosk", async () => {
    assert.equal((await t.api("GET", "/api/diagnostics/doctor", { token: await t.tokenFor("kiosk") })).status, 403);
  });

  it("says 'not available' when galleyd lacks an endpoint and fails the service line when galleyd is gone", async () => {
    const report = await runDoctor({
      dataDir: t.dataDir,
      baseUrl: "http://127.0.0.1:9",
      token: undefined,
      version: "test",
      checkTimeoutMs: 3_000,
    });
    const service = report.checks.find((c) => c.id === "service");
    assert.equal(service?.verdict, "fail");
    assert.ok(service.hint);
    assert.equal(report.verdict, "fail");
    assert.equal(report.checks.find((c) => c.id === "journal")?.verdict, "unavailable");
  });
});

describe("screens and heartbeats", () => {
  it("records a screen's heartbeat as local when it comes over loopback", async () => {
    const kitchen = await t.tokenFor("kitchen");
    const beat = await t.api<{ local: boolean; count: number }>("POST", "/api/diagnostics/heartbeat", {
      token: kitchen,
      body: { page: "/kitchen" },
    });
    assert.equal(beat.status, 200);
    assert.equal(beat.body.local, true);
    const socket = await t.socket(kitchen);
    const screens = await t.api<{
      connected: { role: string }[];
      heartbeats: { role: string; page: string; local: boolean }[];
    }>("GET", "/api/diagnostics/screens", { token: t.adminToken });
    assert.ok(screens.body.connected.some((c) => c.role === "kitchen"));
    assert.ok(screens.body.heartbeats.some((h) => h.role === "kitchen" && h.page === "/kitchen" && h.local));
    await socket.close();
  });

  it("refuses a heartbeat body it does not know", async () => {
    const res = await t.api("POST", "/api/diagnostics/heartbeat", {
      token: await t.tokenFor("kitchen"),
      body: { page: "/kitchen", evil: 1 },
    });
    assert.equal(res.status, 400);
  });
});

describe("recent logs", () => {
  it("come redacted, from the journal or the in-memory ring", async () => {
    const res = await t.api<{ source: string; lines: string[] }>("GET", "/api/diagnostics/logs?lines=50", {
      token: t.adminToken,
    });
    assert.equal(res.status, 200);
    assert.ok(["journal", "memory"].includes(res.body.source));
    const text = res.body.lines.join("\n");
    for (const secret of [staffToken, localToken, SECRET_PIN, PICKUP_NAME, NOTE])
      assert.ok(!text.includes(secret), `a secret in the logs: ${secret.slice(0, 6)}…`);
  });
});

describe("support bundle", () => {
  const planted = (): string[] => [
    SECRET_PIN,
    staffToken,
    t.adminToken,
    localToken,
    UPSTREAM_TOKEN,
    WIFI_PSK,
    PICKUP_NAME,
    NOTE,
    "192.168.17.42",
    "b8:27:eb:12:34:56",
  ];

  it("downloads as .tar.gz with doctor, config, logs and journal statistics, and none of the planted secrets", async () => {
    const response = await fetch(`${t.url}/api/diagnostics/support-bundle`, {
      headers: { authorization: `Bearer ${t.adminToken}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("content-type"), "application/gzip");
    assert.match(
      response.headers.get("content-disposition") ?? "",
      /attachment; filename="galley-support-.+\.tar\.gz"/,
    );
    const files = untar(Buffer.from(await response.arrayBuffer()));
    const names = [...files.keys()].map((n) => n.slice(n.indexOf("/") + 1));
    for (const expected of ["README.txt", "doctor.txt", "doctor.json", "config/galley.json", "journal/stats.json"])
      assert.ok(names.includes(expected), `${expected} missing: ${names.join(", ")}`);
    assert.ok(names.some((n) => n.startsWith("logs/")));
    const all = [...files.values()].join("\n");
    for (const secret of planted())
      assert.ok(!all.includes(secret), `planted secret found in the bundle: ${secret.slice(0, 8)}…`);
    const ring = [...files].find(([n]) => n.endsWith("logs/galleyd-recent.log"))?.[1];
    if (ring !== undefined)
      assert.match(
        ring,
        /plain text leak: token \[redacted\] and Bearer \[redacted\] from 192\.168\.x\.x mac xx:xx:xx:xx:xx:xx/,
        "the planted log lines are in the bundle, scrubbed",
      );
    const stats = JSON.parse([...files].find(([n]) => n.endsWith("journal/stats.json"))?.[1] ?? "{}") as {
      journal: { orders: number };
    };
    assert.equal(stats.journal.orders, 1, "journal statistics, not the orders themselves");
  });

  it("redacts the board's config files (upstream token, setup receipt) by key and by value", async () => {
    const dir = mkdtempSync(join(tmpdir(), "galley-config-"));
    writeFileSync(
      join(dir, "upstream.json"),
      JSON.stringify({
        url: "https://central.invalid",
        token: UPSTREAM_TOKEN,
        square: { accessToken: UPSTREAM_TOKEN, refresh_token: "rt-secret-999888" },
      }),
    );
    writeFileSync(
      join(dir, "setup-imported.json"),
      JSON.stringify({ setup: { wifi: { ssid: "StoreNet", psk: WIFI_PSK } } }),
    );
    const report = await runDoctor({ dataDir: t.dataDir, baseUrl: t.url, token: localToken, version: "test" });
    // A log that repeats the upstream token in free text, as a library error message might.
    const ring = {
      recent: () => [`upstream said 401 for ${UPSTREAM_TOKEN} and rt-secret-999888`],
    } as unknown as typeof recentLogs;
    const bundle = await buildSupportBundle({
      report,
      config: t.app.ctx.config,
      dataDir: t.dataDir,
      configFiles: [join(dir, "upstream.json"), join(dir, "setup-imported.json")],
      api: galleydClient(t.url, localToken),
      run: runTool,
      ring,
      secrets: [localToken],
    });
    const files = untar(bundle.data);
    const all = [...files.values()].join("\n");
    for (const secret of [...planted(), "rt-secret-999888"])
      assert.ok(!all.includes(secret), `planted secret found: ${secret.slice(0, 8)}…`);
    const upstream = [...files].find(([n]) => n.endsWith("config/upstream.json"))?.[1] ?? "";
    assert.match(upstream, /"url": "https:\/\/central\.invalid"/, "non-secret settings stay readable");
    assert.match(upstream, /\[redacted\]/);
  });
});
