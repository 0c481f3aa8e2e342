/** galleyd serving the built screens: pages, hashed assets, gzip, ETag, a helpful page when unbuilt. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import Fastify, { type FastifyInstance, type FastifyPluginCallback } from "fastify";
import { screenRoutes, screensDir } from "../../../appliance/http/routes/screens.ts";

describe("screens route", () => {
  let root: string;
  let app: FastifyInstance;
  let empty: FastifyInstance;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "galley-ui-dist-"));
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "kiosk.html"), "<!doctype html><title>kiosk</title>");
    writeFileSync(join(root, "assets", "kiosk-abc123.js"), "console.log('kiosk');");
    writeFileSync(join(root, "assets", "kiosk-abc123.js.gz"), gzipSync("console.log('kiosk');"));
    writeFileSync(join(root, "secret.txt"), "no");
    app = Fastify();
    await app.register(screenRoutes as unknown as FastifyPluginCallback<{ root: string }>, { root });
    await app.ready();
    empty = Fastify();
    await empty.register(screenRoutes as unknown as FastifyPluginCallback<{ root: string }>, {
      root: join(root, "missing"),
    });
    await empty.ready();
  });
  after(async () => {
    await app.close();
    await empty.close();
  });

  it("serves each page, revalidated by ETag", async () => {
    const page = await app.inject({ method: "GET", url: "/kiosk" });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers["content-type"] ?? "", /^text\/html/);
    assert.equal(page.headers["cache-control"], "no-cache");
    const again = await app.inject({
      method: "GET",
      url: "/kiosk",
      headers: { "if-none-match": String(page.headers.etag) },
    });
    assert.equal(again.statusCode, 304);
  });

  it("serves hashed assets for a year, gzip-compressed to browsers that take it", async () => {
    const plain = await app.inject({ method: "GET", url: "/ui/assets/kiosk-abc123.js" });
    assert.equal(plain.statusCode, 200);
    assert.equal(plain.body, "console.log('kiosk');");
    assert.match(String(plain.headers["cache-control"]), /immutable/);
    const zipped = await app.inject({
      method: "GET",
      url: "/ui/assets/kiosk-abc123.js",
      headers: { "accept-encoding": "gzip, br" },
    });
    assert.equal(zipped.headers["content-encoding"], "gzip");
    assert.match(String(zipped.headers["content-type"]), /javascript/);
  });

  it("refuses paths outside the build and unknown assets", async () => {
    assert.equal((await app.inject({ method: "GET", url: "/ui/../secret.txt" })).statusCode, 404);
    assert.equal((await app.inject({ method: "GET", url: "/ui/%2e%2e/%2e%2e/package.json" })).statusCode, 404);
    assert.equal((await app.inject({ method: "GET", url: "/ui/assets/nope.js" })).statusCode, 404);
  });

  it("explains how to build the screens when the build is missing", async () => {
    const page = await empty.inject({ method: "GET", url: "/board" });
    assert.equal(page.statusCode, 503);
    assert.match(page.body, /npm run build:ui/);
  });

  it("finds ui/dist beside appliance/", () => {
    assert.equal(screensDir(), join(import.meta.dirname, "..", "..", "..", "ui", "dist"));
  });
});
