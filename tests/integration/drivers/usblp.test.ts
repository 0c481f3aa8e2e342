import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { createPrinter, createPrinterSimulator, encodeDocument } from "../../../drivers/index.ts";
import { waitFor } from "../../helpers/wait.ts";

/** Waits until `check` holds (polling every 10 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

it("usblp: write-only, status unknown, offline when the node disappears, back when it returns", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "galley-usblp-"));
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  // A regular file stands in for /dev/usb/lp0 (no hardware here); the driver only opens, writes and watches it.
  const node = join(dir, "lp0");
  writeFileSync(node, "");
  const printer = createPrinter(`usblp:${node}`, { profile: "generic-80", reconnect: { initialMs: 30, maxMs: 60 } });
  t.after(() => printer.stop());
  await printer.start();
  assert.equal(printer.connection, "online");
  assert.equal(printer.status.health, "unknown");
  const commands = encodeDocument({ blocks: [{ type: "line", text: "via usblp" }, { type: "cut" }] }, printer.profile);
  const outcome = await printer.send(commands, { jobId: "u1" });
  assert.equal(outcome.kind === "completed" && outcome.confirmedBy, "write-only");
  const sim = createPrinterSimulator({ profile: "generic-80" });
  void sim.receive(readFileSync(node));
  assert.match(sim.text(), /via usblp/);

  const events: string[] = [];
  printer.on("disconnected", () => events.push("down"));
  printer.on("connected", () => events.push("up"));
  rmSync(node);
  await until("offline", () => events.includes("down"));
  writeFileSync(node, "");
  await until("back", () => events.includes("up"));
  assert.equal(printer.connection, "online");
});
