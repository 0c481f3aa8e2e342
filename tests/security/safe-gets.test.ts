/**
 * Finding 7 (low): `GET /api/diagnostics/receipt` printed a test receipt on every call, so a
 * prefetcher, a reload or a cache could print. Printing is a POST now and the GET previews. And
 * every GET of the API, called by an admin, leaves the journal as it was: no event, no print job.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { startDeviceRig, until, type DeviceRig } from "../integration/devices/rig.ts";

type OpenApi = { paths: Record<string, Record<string, unknown>> };

let rig: DeviceRig;
before(async () => {
  rig = await startDeviceRig(undefined);
});
after(() => rig.stop());

function printJobs(): number {
  return rig.app.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM print_jobs")?.n ?? 0;
}

async function seq(): Promise<number> {
  return (await rig.app.api<{ seq: number }>("GET", "/api/diagnostics/ping")).body.seq;
}

describe("finding 7: reading never prints", () => {
  it("GET /api/diagnostics/receipt previews the test receipt and prints nothing, however often it is asked", async () => {
    const tech = await rig.app.tokenFor("technician");
    const jobs = printJobs();
    const pages = rig.counter.simulator.printedPages.length;
    for (let i = 0; i < 3; i += 1) {
      const response = await fetch(`${rig.app.url}/api/diagnostics/receipt?printer=counter`, {
        headers: { authorization: `Bearer ${tech}` },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("content-type"), "image/png");
      assert.equal(response.headers.get("x-print-job"), null);
      const png = new Uint8Array(await response.arrayBuffer());
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    }
    assert.equal(printJobs(), jobs);
    const printed = await fetch(`${rig.app.url}/api/diagnostics/receipt?printer=counter`, {
      method: "POST",
      headers: { authorization: `Bearer ${tech}` },
    });
    assert.equal(printed.status, 200);
    assert.ok(printed.headers.get("x-print-job"));
    await until("the test receipt printed", () => rig.counter.simulator.printedPages.length === pages + 1);
    assert.equal(printJobs(), jobs + 1);
  });

  it("no GET route of the API writes an event or a print job", async () => {
    const doc = (await rig.app.api<OpenApi>("GET", "/api/openapi.json")).body;
    const order = await rig.order();
    // Its tickets printed first: a print that times out on a loaded machine is reprinted as a new job.
    await rig.waitJobs(
      "the order's tickets printed",
      `?order=${order.id}`,
      (jobs) => jobs.length > 0 && jobs.every((j) => j.state === "done"),
      15_000,
    );
    const gets = Object.entries(doc.paths)
      .filter(([, methods]) => "get" in methods)
      .map(([path]) => path);
    assert.ok(gets.length > 30, `${gets.length} GET routes`);
    const before = { seq: await seq(), jobs: printJobs() };
    const statuses: string[] = [];
    for (const path of gets) {
      const concrete = path
        .replace("{itemId}", "burger")
        .replace("{name}", "x.svg")
        .replace("{target}", "central")
        .replace("{id}", order.id)
        .replace(/\{\w+\}/g, () => randomUUID());
      const res = await fetch(`${rig.app.url}${concrete}`, {
        headers: { authorization: `Bearer ${rig.app.adminToken}` },
      });
      await res.arrayBuffer();
      statuses.push(`${res.status} ${path}`);
      assert.ok(res.status < 500, `GET ${path}: ${res.status}`);
    }
    assert.deepEqual({ seq: await seq(), jobs: printJobs() }, before, statuses.join("\n"));
  });
});
