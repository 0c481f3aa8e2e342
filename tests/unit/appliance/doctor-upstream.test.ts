import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testConfig } from "../../../appliance/config/load.ts";
import { upstreamUrlOf } from "../../../appliance/diagnostics/doctor.ts";

describe("doctor: which upstream to check", () => {
  it("checks the central server galleyd syncs to, else the board's setup file, else none", () => {
    const dir = mkdtempSync(join(tmpdir(), "galley-doctor-"));
    writeFileSync(join(dir, "upstream.json"), JSON.stringify({ url: "https://from-setup.example" }));
    const syncing = testConfig({ dataDir: dir, sync: { central: { url: "https://central.example" } } });
    assert.equal(upstreamUrlOf(syncing, dir), "https://central.example");
    const plain = testConfig({ dataDir: dir });
    assert.equal(upstreamUrlOf(plain, dir), "https://from-setup.example");
    assert.equal(upstreamUrlOf(plain, undefined), undefined);
  });
});
