/**
 * Finding 5 (medium): a manager's SVG with `<script>` was stored and served as it came, on the
 * origin that holds the admin's token, and no response carried security headers. Uploads are now
 * sanitised (appliance/pictures), pictures are served in a CSP sandbox, and every response has the
 * headers a reviewer expects (helmet, appliance/http/security-headers.ts).
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { silentLogger } from "../../appliance/lib/logger.ts";
import { resanitizeStoredPictures } from "../../appliance/pictures/store.ts";
import { startTestApp, type TestApp } from "../helpers/test-app.ts";
import { EVIL_SVG } from "./fixtures.ts";

let t: TestApp;
let manager: string;
let setupDir: string;
before(async () => {
  setupDir = mkdtempSync(join(tmpdir(), "galley-headers-"));
  writeFileSync(join(setupDir, "setup-pending"), "");
  t = await startTestApp({ config: { setup: { flagFile: join(setupDir, "setup-pending") } } });
  manager = await t.tokenFor("manager");
});
after(() => t.stop());

const upload = (name: string, type: string, body: string | Buffer) =>
  fetch(`${t.url}/api/menu/pictures/${name}`, {
    method: "PUT",
    headers: { authorization: `Bearer ${manager}`, "content-type": type },
    body,
  });

describe("finding 5: uploaded pictures", () => {
  it("stores an SVG without its script, handlers, links and foreign content, and says what it removed", async () => {
    const res = await upload("evil.svg", "image/svg+xml", EVIL_SVG);
    assert.equal(res.status, 200);
    const saved = (await res.json()) as { removed: string[] };
    for (const part of ["element script", "attribute onload on svg", "element a", "element foreignObject"]) {
      assert.ok(
        saved.removed.some((r) => r.startsWith(part)),
        `${part} in ${JSON.stringify(saved.removed)}`,
      );
    }
    const served = await fetch(`${t.url}/media/pictures/evil.svg`);
    const text = await served.text();
    for (const gone of [/<script/i, /onload/i, /javascript:/i, /foreignObject/i, /iframe/i])
      assert.doesNotMatch(text, gone);
    assert.match(text, /<circle cx="5" cy="5" r="3" fill="#fff"\/>/, "the drawing stays");
  });

  it("serves pictures in a CSP sandbox with nosniff", async () => {
    const served = await fetch(`${t.url}/media/pictures/cola.svg`);
    assert.equal(served.status, 200);
    const csp = served.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /(^|;)\s*sandbox(;|$)/);
    assert.doesNotMatch(csp, /script-src/);
    assert.equal(served.headers.get("x-content-type-options"), "nosniff");
  });

  it("refuses a page posing as a raster picture, and SVG that is not a drawing, writing nothing", async () => {
    const html = await upload("menu.png", "image/png", "<html><script>alert(1)</script></html>");
    assert.equal(html.status, 422);
    assert.equal(((await html.json()) as { error: { code: string } }).error.code, "picture_invalid");
    const xxe = await upload(
      "x.svg",
      "image/svg+xml",
      `<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>`,
    );
    assert.equal(xxe.status, 422);
    assert.equal((await fetch(`${t.url}/media/pictures/menu.png`)).status, 404);
    assert.equal((await fetch(`${t.url}/media/pictures/x.svg`)).status, 404);
  });

  it("sanitises pictures stored before uploads were sanitised, and sets aside one that cannot be made safe", async () => {
    const dir = mkdtempSync(join(tmpdir(), "galley-old-pictures-"));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "old.svg"), EVIL_SVG);
    writeFileSync(join(dir, "broken.svg"), "<html><body onload=alert(1)>");
    writeFileSync(
      join(dir, "fine.svg"),
      readFileSync(join(import.meta.dirname, "../../appliance/demo-menu/pictures/cola.svg")),
    );
    await resanitizeStoredPictures(dir, silentLogger());
    assert.doesNotMatch(readFileSync(join(dir, "old.svg"), "utf8"), /script|onload/);
    assert.equal(readFileSync(join(dir, "broken.svg.refused"), "utf8"), "<html><body onload=alert(1)>");
    assert.match(readFileSync(join(dir, "fine.svg"), "utf8"), /<svg/);
  });
});

describe("finding 5: security headers on every response", () => {
  const requests: [string, string, RequestInit?][] = [
    ["a public API answer", "/api/diagnostics/ping"],
    ["a refusal before the route runs", "/api/menu"],
    ["an unknown route", "/api/nothing-here"],
    [
      "a validation error",
      "/api/auth/login",
      { method: "POST", headers: { "content-type": "application/json" }, body: "{}" },
    ],
    ["a screen", "/kiosk"],
    ["the admin page", "/admin"],
    ["a screen asset", "/ui/kiosk.html"],
    ["the setup page", "/setup"],
    ["the OpenAPI document", "/api/openapi.json"],
  ];
  for (const [what, path, init] of requests) {
    it(`${what} (${path})`, async () => {
      const res = await fetch(`${t.url}${path}`, init);
      const csp = res.headers.get("content-security-policy") ?? "";
      assert.match(csp, /default-src '(self|none)'/, `${path}: ${csp}`);
      assert.match(csp, /frame-ancestors 'none'/);
      assert.doesNotMatch(csp, /upgrade-insecure-requests/, "the board serves plain HTTP on the LAN");
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("x-frame-options"), "DENY");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
      assert.equal(res.headers.get("strict-transport-security"), null);
      if (path === "/kiosk" || path === "/admin")
        assert.match(csp, /script-src 'self'(;|$)/, "screens run no inline script");
    });
  }
});
