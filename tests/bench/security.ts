/**
 * What the hardening costs and what it saves, measured on the production bundle (a galleyd child):
 * 1. a right PIN with 17 staff: one sign-in (keyed index, one scrypt check) against the 17 scrypt
 *    checks the old sign-in made, both in this run;
 * 2. 100 concurrent wrong PINs: how many are checked, and what a screen's page load costs meanwhile
 *    against the same load idle (the review saw 15 s);
 * 3. a push socket flooding 20,000 invalid messages: how many it gets through, and ping meanwhile.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { hashPin, verifyPin } from "../../appliance/commands/pins.ts";
import { ADMIN_PIN, devToken, post, startGalleyd } from "./core.ts";
import { median, percentile, round, sleep, type BenchRow } from "./stats.ts";

const STAFF = 17;

async function timed(run: () => Promise<unknown>): Promise<number> {
  const began = performance.now();
  await run();
  return performance.now() - began;
}

/** Latencies of `path` sampled one after another for `ms`. */
async function sample(url: string, path: string, ms: number): Promise<number[]> {
  const out: number[] = [];
  const until = performance.now() + ms;
  for (let i = 0; i < 10_000 && performance.now() < until; i += 1) {
    out.push(
      await timed(async () => {
        await (await fetch(`${url}${path}`)).arrayBuffer();
      }),
    );
  }
  return out;
}

export async function runSecurityBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const g = await startGalleyd(mkdtempSync(join(tmpdir(), "galley-security-")));
  try {
    const admin = (
      (await (await post(g.url, "/api/auth/login", undefined, { pin: ADMIN_PIN })).json()) as { token: string }
    ).token;
    // Before the burst of wrong PINs locks this address out of signing in.
    const kiosk = await devToken(g.url, "kiosk");
    const pins: string[] = [];
    for (let i = 1; i < STAFF; i += 1) {
      const created = (await (
        await post(g.url, "/api/users", admin, { name: `Staff ${i}`, role: "cashier" })
      ).json()) as { pin: string };
      pins.push(created.pin);
    }

    // 1. One sign-in now, against the 17 scrypt checks of the old one (same machine, same run).
    const signIns: number[] = [];
    const oldWay: number[] = [];
    const hashes = await Promise.all(Array.from({ length: STAFF }, (_, i) => hashPin(String(100_000 + i))));
    for (let round = 0; round < 4; round += 1) {
      // A right PIN: a success is not counted against the address, so the rounds need not wait.
      signIns.push(
        await timed(async () => (await post(g.url, "/api/auth/login", undefined, { pin: pins[round] })).arrayBuffer()),
      );
      oldWay.push(await timed(() => Promise.all(hashes.map((h) => verifyPin("999999", h)))));
    }
    rows.push(
      {
        group: "security",
        metric: `sign-in with ${STAFF} staff, right PIN (median of 4)`,
        value: median(signIns),
        unit: "ms",
      },
      {
        group: "security",
        metric: `the old sign-in's work: ${STAFF} scrypt checks (median of 4)`,
        value: median(oldWay),
        unit: "ms",
      },
      { group: "security", metric: "sign-in ÷ old work", value: median(signIns) / median(oldWay), unit: "×" },
    );

    // 2. A burst of wrong PINs against a screen's page load.
    const idle = await sample(g.url, "/kiosk", 1_500);
    const burst = Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        post(g.url, "/api/auth/login", undefined, { pin: String(200_000 + i) }).then(
          async (r) => (await r.arrayBuffer(), r.status),
        ),
      ),
    );
    const during = await sample(g.url, "/kiosk", 1_000);
    const statuses = await burst;
    rows.push(
      {
        group: "security",
        metric: "100 concurrent wrong PINs: checked (answered 401)",
        value: statuses.filter((s) => s === 401).length,
        unit: "PINs",
        target: "≤ 5",
        ok: statuses.filter((s) => s === 401).length <= 5,
      },
      { group: "security", metric: "GET /kiosk p50 idle", value: median(idle), unit: "ms" },
      { group: "security", metric: "GET /kiosk p50 during the burst", value: median(during), unit: "ms" },
      { group: "security", metric: "GET /kiosk p99 during the burst", value: percentile(during, 99), unit: "ms" },
    );

    // 3. A kiosk socket flooding invalid messages, and ping meanwhile.
    const socket = new WebSocket(`${g.url.replace("http", "ws")}/ws?token=${kiosk}`);
    await new Promise((resolve) => socket.once("open", resolve));
    let answers = 0;
    socket.on("message", () => (answers += 1));
    const closed = new Promise<number>((resolve) => {
      socket.once("close", (code) => {
        resolve(code);
      });
    });
    const pingIdle = await sample(g.url, "/api/diagnostics/ping", 500);
    const flood = (async () => {
      for (let i = 0; i < 20_000 && socket.readyState === WebSocket.OPEN; i += 1) {
        socket.send(`not json ${i}`);
        // In slices, so that the ping sampler runs alongside.
        if (i % 200 === 199) await sleep(0);
      }
    })();
    const pingFlood = await sample(g.url, "/api/diagnostics/ping", 500);
    await flood;
    const code = await Promise.race([closed, sleep(5_000).then(() => 0)]);
    rows.push(
      {
        group: "security",
        metric: "push flood of 20,000 invalid messages: close code",
        value: code,
        unit: "",
        target: "4429",
        ok: code === 4429,
      },
      {
        group: "security",
        metric: "… messages answered before the close (hello included)",
        value: answers,
        unit: "msgs",
      },
      { group: "security", metric: "ping p99 idle", value: percentile(pingIdle, 99), unit: "ms" },
      { group: "security", metric: "ping p99 during the flood", value: percentile(pingFlood, 99), unit: "ms" },
    );
    socket.terminate();
  } finally {
    await g.stop();
  }
  return rows.map((r) => ({ ...r, value: round(r.value) }));
}
