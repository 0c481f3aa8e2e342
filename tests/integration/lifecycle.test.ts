/** galleyd as a process: start-up banner, graceful SIGTERM, systemd notify, refusal to start. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
  closeSync,
  openSync,
  writeSync,
  existsSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import { spawnGalleyd } from "../helpers/galleyd-process.ts";
import { pollUntil } from "../helpers/wait.ts";

const tmp = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

describe("galleyd process", () => {
  it("starts in development mode, prints every screen's URL and the admin PIN, and stops cleanly on SIGTERM", async () => {
    const dataDir = tmp("galley-dev-");
    const g = spawnGalleyd({ GALLEY_DATA_DIR: dataDir, GALLEY_PORT: "0" }, ["--dev"]);
    const url = await g.url;
    for (const screen of ["/kiosk", "/kitchen", "/board", "/admin"])
      assert.ok(g.stdout().includes(`${url}${screen}`), `banner lists ${screen}`);
    const pin = /Admin PIN: (\d{6})/.exec(g.stdout())?.[1];
    assert.ok(pin, "a generated admin PIN is printed");
    assert.equal(readFileSync(join(dataDir, "dev-admin-pin"), "utf8").trim(), pin);
    const ping = await json<{ ok: boolean; mode: string }>(await fetch(`${url}/api/diagnostics/ping`));
    assert.deepEqual([ping.ok, ping.mode], [true, "development"]);
    const login = await fetch(`${url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ pin }),
    });
    assert.equal(login.status, 200);
    const menu = await fetch(`${url}/api/menu`, {
      headers: { authorization: `Bearer ${(await json<{ token: string }>(login)).token}` },
    });
    const items = (await json<{ menu: { items: unknown[] } }>(menu)).menu.items.length;
    assert.ok(items >= 25, `the demo menu is loaded (${items} items)`);

    g.child.kill("SIGTERM");
    const { code } = await g.exited;
    assert.equal(code, 0);
    const db = new DatabaseSync(join(dataDir, "journal.sqlite"));
    assert.equal((db.prepare("PRAGMA integrity_check").get() as { integrity_check: string }).integrity_check, "ok");
    db.close();

    // A second start finds the same PIN for the developer.
    const again = spawnGalleyd({ GALLEY_DATA_DIR: dataDir, GALLEY_PORT: "0" }, ["--dev"]);
    await again.url;
    assert.ok(again.stdout().includes(`Admin PIN: ${pin}`));
    again.child.kill("SIGTERM");
    assert.equal((await again.exited).code, 0);
  });

  it("finishes in-flight orders on SIGTERM: every acknowledged order is in the journal", async () => {
    const dataDir = tmp("galley-term-");
    const g = spawnGalleyd({ GALLEY_DATA_DIR: dataDir, GALLEY_PORT: "0", GALLEY_ADMIN_PIN: "2580" }, ["--dev"]);
    const url = await g.url;
    const pair = await json<{ token: string }>(
      await fetch(`${url}/api/devices/dev-pair`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ role: "kiosk" }),
      }),
    );
    const menu = await json<{
      menu: { items: { id: string; modifierGroups?: string[]; comboOnly?: boolean; tracksStock?: boolean }[] };
    }>(await fetch(`${url}/api/menu`, { headers: { authorization: `Bearer ${pair.token}` } }));
    const simple = menu.menu.items.find((i) => !i.comboOnly && !i.tracksStock && (i.modifierGroups ?? []).length === 0);
    assert.ok(simple, "the demo menu has an item without options");
    const place = async (): Promise<string | undefined> => {
      const id = randomUUID();
      try {
        const res = await fetch(`${url}/api/orders`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${pair.token}`, "idempotency-key": id },
          body: JSON.stringify({ id, items: [{ menuItemId: simple.id, quantity: 1 }] }),
        });
        return res.status === 201 ? id : undefined;
      } catch {
        return undefined;
      }
    };
    const first = await place();
    assert.ok(first, "orders are accepted before the stop");
    const burst = Array.from({ length: 30 }, () => place());
    setTimeout(() => g.child.kill("SIGTERM"), 5);
    const acked = [first, ...(await Promise.all(burst))].filter((id): id is string => id !== undefined);
    assert.equal((await g.exited).code, 0);
    const db = new DatabaseSync(join(dataDir, "journal.sqlite"));
    const stored = new Set((db.prepare("SELECT id FROM orders").all() as { id: string }[]).map((r) => r.id));
    db.close();
    for (const id of acked) assert.ok(stored.has(id), `acknowledged order ${id} survived the stop`);
  });

  it("tells systemd READY=1 once serving, pings the watchdog at half WATCHDOG_USEC, and says STOPPING=1", async () => {
    const bin = tmp("galley-notify-");
    const log = join(bin, "calls.log");
    // A stand-in for systemd-notify(1) that records its arguments.
    writeFileSync(join(bin, "systemd-notify"), `#!/bin/sh\necho "$*" >> ${log}\n`);
    chmodSync(join(bin, "systemd-notify"), 0o755);
    const g = spawnGalleyd(
      {
        GALLEY_DATA_DIR: tmp("galley-sd-"),
        GALLEY_PORT: "0",
        PATH: `${bin}:${process.env.PATH ?? ""}`,
        NOTIFY_SOCKET: "/run/fake-notify",
        WATCHDOG_USEC: "400000",
      },
      ["--dev"],
    );
    await g.url;
    // A timeout here falls through to the assertions, which print every call systemd-notify saw.
    await pollUntil(() => readCalls(log).filter((l) => l === "WATCHDOG=1").length >= 3, {
      what: "three watchdog pings",
      timeoutMs: 5_000,
      intervalMs: 50,
    });
    const calls = readCalls(log);
    assert.match(calls[0] ?? "", /^--ready --status=serving on http:\/\//);
    assert.ok(calls.filter((l) => l === "WATCHDOG=1").length >= 3, calls.join("\n"));
    g.child.kill("SIGTERM");
    await g.exited;
    assert.ok(readCalls(log).includes("STOPPING=1"));
  });

  it("refuses to start on a damaged journal and names the restore command", async () => {
    const dataDir = tmp("galley-corrupt-");
    const first = spawnGalleyd({ GALLEY_DATA_DIR: dataDir, GALLEY_PORT: "0" }, ["--dev"]);
    await first.url;
    first.child.kill("SIGTERM");
    await first.exited;
    const path = join(dataDir, "journal.sqlite");
    assert.ok(existsSync(path));
    const fd = openSync(path, "r+");
    writeSync(fd, Buffer.alloc(16_384, 0x5a), 0, 16_384, 4_096);
    closeSync(fd);
    const g = spawnGalleyd({ GALLEY_DATA_DIR: dataDir, GALLEY_PORT: "0" }, ["--dev"]);
    const { code } = await g.exited;
    assert.equal(code, 65);
    assert.match(g.stderr(), /galley restore/);
  });

  it("refuses a bad configuration with every problem listed", async () => {
    const dir = tmp("galley-badconf-");
    writeFileSync(join(dir, "galley.json"), JSON.stringify({ server: { port: "eighty" }, stor: {} }));
    const g = spawnGalleyd({ GALLEY_CONFIG: join(dir, "galley.json"), GALLEY_DATA_DIR: dir });
    const { code } = await g.exited;
    assert.equal(code, 78);
    assert.match(g.stderr(), /server\.port: must be integer/);
    assert.match(g.stderr(), /stor: unknown key/);
  });
});

function readCalls(path: string): string[] {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean);
  } catch {
    return [];
  }
}
