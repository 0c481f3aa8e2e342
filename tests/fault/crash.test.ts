/**
 * Crash test (issue: "nothing acknowledged is ever lost"): a child places orders in a loop and is
 * killed with SIGKILL at random moments, at least 30 times. After each kill: every acknowledged
 * order is in the journal exactly once, seqs are contiguous, the integrity check passes. At the
 * end a retry of every order with its key returns the stored order (the same body for the
 * acknowledged ones) and never a second copy.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { createApp } from "../../appliance/app.ts";
import { testConfig } from "../../appliance/config/load.ts";
import { silentLogger } from "../../appliance/lib/logger.ts";

const KILLS = Number(process.env.GALLEY_CRASH_KILLS ?? 30);
const CHILD = join(import.meta.dirname, "crash-child.ts");

interface Sent {
  key: string;
  body: string;
}

interface Run {
  sent: Map<string, Sent>;
  acked: Map<string, string>;
}

/** Runs the child until `killAfterMs` after it is ready, then SIGKILLs it. */
function runAndKill(dataDir: string, killAfterMs: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    const run: Run = { sent: new Map(), acked: new Map() };
    let buffer = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    const guard = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child never became ready: ${stderr}`));
    }, 30_000);
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
        const [kind, id = "", rest = ""] = line.split(" ", 3);
        if (kind === "READY") {
          clearTimeout(guard);
        } else if (kind === "SEND") {
          const space = line.indexOf(" ", line.indexOf(rest));
          run.sent.set(id, { key: rest, body: line.slice(space + 1) });
        } else if (kind === "ACK") {
          run.acked.set(id, rest);
          // The kill lands at a random moment once orders are flowing (a loaded machine may take
          // a while to place the first one; killing before that would test nothing).
          timer ??= setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        }
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("exit", (_code, signal) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (signal !== "SIGKILL") reject(new Error(`child ended on its own (${String(signal)}): ${stderr}`));
      else resolve(run);
    });
  });
}

function inspect(dataDir: string): { ids: Map<string, number>; seqs: number[]; integrity: string } {
  const db = new DatabaseSync(join(dataDir, "journal.sqlite"));
  try {
    const ids = new Map(
      (db.prepare("SELECT id, COUNT(*) AS n FROM orders GROUP BY id").all() as { id: string; n: number }[]).map((r) => [
        r.id,
        r.n,
      ]),
    );
    const seqs = (db.prepare("SELECT seq FROM events ORDER BY seq").all() as { seq: number }[]).map((r) => r.seq);
    const integrity = (db.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check;
    return { ids, seqs, integrity };
  } finally {
    db.close();
  }
}

describe("crash: SIGKILL while placing orders", () => {
  it(`loses no acknowledged order over ${KILLS} kills`, { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "galley-crash-"));
    const allSent = new Map<string, Sent>();
    const allAcked = new Map<string, string>();
    let committedButUnacked = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      const run = await runAndKill(dataDir, Math.floor(Math.random() * 300));
      for (const [id, sent] of run.sent) allSent.set(id, sent);
      for (const [id, hash] of run.acked) allAcked.set(id, hash);
      const { ids, seqs, integrity } = inspect(dataDir);
      assert.equal(integrity, "ok", `integrity after kill ${kill + 1}`);
      for (const id of allAcked.keys())
        assert.equal(ids.get(id), 1, `acknowledged order ${id} present exactly once after kill ${kill + 1}`);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
        `seqs contiguous after kill ${kill + 1}`,
      );
      committedButUnacked += [...run.sent.keys()].filter((id) => ids.has(id) && !run.acked.has(id)).length;
    }
    assert.ok(allAcked.size >= KILLS, `orders were acknowledged (${allAcked.size})`);

    // The kiosk retries every order it sent, with the same key and body, on a restarted appliance.
    const app = createApp({
      config: testConfig({
        dataDir,
        server: { host: "127.0.0.1", port: 0 },
        menu: { seed: "none" },
        log: { level: "silent" },
      }),
      log: silentLogger(),
    });
    const { url } = await app.start();
    try {
      const token = readFileSync(join(dataDir, "kiosk-token"), "utf8");
      for (const [id, sent] of allSent) {
        const response = await fetch(`${url}/api/orders`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${token}`,
            "idempotency-key": sent.key,
          },
          body: sent.body,
        });
        const text = await response.text();
        assert.equal(response.status, 201, `retry of ${id}: ${text}`);
        const ack = allAcked.get(id);
        if (ack)
          assert.equal(
            createHash("sha256").update(text).digest("hex"),
            ack,
            `retry of acknowledged ${id} returns the stored body`,
          );
      }
    } finally {
      await app.stop();
    }
    const final = inspect(dataDir);
    for (const id of allSent.keys()) assert.equal(final.ids.get(id), 1, `${id} exists exactly once after retries`);
    assert.equal(final.ids.size, allSent.size);
    // Committed-but-unacknowledged orders happen when the kill lands between COMMIT and the reply;
    // the retries above found them instead of creating second copies.
    process.stdout.write(
      `# ${KILLS} kills, ${allAcked.size} acknowledged, ${committedButUnacked} committed but unacknowledged, ${allSent.size} sent\n`,
    );
  });
});
