/**
 * The central target against the fake central server: in-order drain, every network fault of
 * docs/architecture.md#fault-tests ("Network faults"), and what an operator checks afterwards —
 * exactly one copy of each order upstream, nothing lost, the backlog back to zero.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { ManualClock } from "../../../appliance/lib/clock.ts";
import { FakeCentral } from "../../fakes/fake-central.ts";
import { quietWindow } from "../../helpers/wait.ts";
import {
  BLOCKED_QUIET_MS,
  connectCentral,
  openCount,
  outboxStates,
  startSyncApp,
  waitFor,
  type SyncApp,
} from "./helpers.ts";

let fake: FakeCentral;
let t: SyncApp | undefined;

async function setup(options: { clock?: ManualClock; timeoutMs?: number; batchSize?: number } = {}): Promise<SyncApp> {
  fake = new FakeCentral(options.clock ? { now: () => options.clock?.now() ?? 0 } : {});
  await fake.start();
  t = await startSyncApp({
    sync: { central: { url: fake.url, timeoutMs: options.timeoutMs ?? 1_000, batchSize: options.batchSize ?? 100 } },
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await connectCentral(t);
  return t;
}

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await fake.stop();
});

/** Every placed order is on the fake exactly once, and every event it sent was created once. */
function assertExactlyOnce(app: SyncApp, orderIds: readonly string[]): void {
  for (const id of orderIds) assert.equal(fake.createdPlaced.get(id), 1, `order ${id} created exactly once upstream`);
  assert.equal(fake.orderIds().length, new Set(fake.orderIds()).size);
  const events =
    app.app.ctx.journal.get<{ n: number }>("SELECT COUNT(*) AS n FROM outbox WHERE target = 'central'")?.n ?? 0;
  assert.equal(fake.created, events, "each event created once");
}

describe("sync: central", () => {
  it("drains orders in seq order, one copy each, and the backlog reads zero", async () => {
    const app = await setup();
    const orders = app.place(30);
    await waitFor(() => openCount(app, "central") === 0, "the central backlog to drain");
    assertExactlyOnce(
      app,
      orders.map((o) => o.id),
    );
    const seqs = fake.seqsOf(
      app.app.ctx.journal.get<{ instance_id: string }>("SELECT instance_id FROM device")?.instance_id ?? "",
    );
    assert.deepEqual(
      seqs,
      [...seqs].sort((a, b) => a - b),
    );
    // Every batch went out in seq order.
    const sent = fake
      .requestsTo("events:batch")
      .flatMap((r) => (r.body as { events: { seq: number }[] }).events.map((e) => e.seq));
    assert.deepEqual(
      sent,
      [...sent].sort((a, b) => a - b),
    );
    assert.equal(fake.chainEnd(fake.instances()[0] ?? ""), Math.max(...seqs), "the server's chain is unbroken");
    const status = await app.api<{ targets: { target: string; pending: number; message: string }[] }>(
      "GET",
      "/api/sync/status",
    );
    assert.equal(status.body.targets[0]?.pending, 0);
    assert.equal(status.body.targets[0].message, "all orders upstream");
    const backups = await app.api<{ backups: { state: string }[] }>("GET", "/api/backups/orders");
    assert.ok(
      backups.body.backups.every((b) => b.state === "synced"),
      "each order's backup record is synced",
    );
  });

  it("connection refused: orders wait, the worker probes, and the network coming back drains them", async () => {
    const app = await setup();
    await fake.down();
    const orders = app.place(10);
    await waitFor(() => app.rt().workers.central.offline, "the worker to go offline");
    const status = await app.api<{ targets: { online: boolean; pending: number; message: string }[] }>(
      "GET",
      "/api/sync/status",
    );
    assert.equal(status.body.targets[0]?.online, false);
    assert.equal(status.body.targets[0].pending, 10);
    assert.match(status.body.targets[0].message, /^upstream unreachable; 10 orders not yet upstream, oldest \d+ min$/);
    const upAt = Date.now();
    await fake.up();
    await waitFor(() => openCount(app, "central") === 0, "the drain after the network came back");
    assert.ok(Date.now() - upAt < 2_000, "the first acknowledgement comes quickly after the network returns");
    assertExactlyOnce(
      app,
      orders.map((o) => o.id),
    );
  });

  it("a hanging server: the client's timeout fires and the retry delivers once", async () => {
    const app = await setup({ timeoutMs: 300 });
    fake.script({ kind: "hang" });
    const started = Date.now();
    const orders = app.place(3);
    await waitFor(() => openCount(app, "central") === 0, "delivery after the hang", 5_000);
    assert.ok(Date.now() - started >= 300, "the first attempt waited for its timeout");
    const states = app.app.ctx.journal.all<{ last_error_code: string | null }>(
      "SELECT last_error_code FROM outbox WHERE target = 'central'",
    );
    assert.ok(
      states.every((s) => s.last_error_code === null),
      "errors cleared on ack",
    );
    assert.equal(fake.requestsTo("events:batch")[0]?.fault, "hang");
    assertExactlyOnce(
      app,
      orders.map((o) => o.id),
    );
  });

  it("a burst of 500s: retried with backoff, a notification after 3 failures in a row, then delivered", async () => {
    const app = await setup();
    fake.script(Array.from({ length: 5 }, () => ({ kind: "status" as const, status: 500, body: { error: "boom" } })));
    const orders = app.place(4);
    await waitFor(() => openCount(app, "central") === 0, "delivery after the 500s");
    assert.ok(fake.requestsTo("events:batch").length >= 6);
    assertExactlyOnce(
      app,
      orders.map((o) => o.id),
    );
    const notes = await app.api<{ notifications: { kind: string; target: string }[] }>(
      "GET",
      "/api/sync/notifications",
    );
    assert.equal(
      notes.body.notifications.filter((n) => n.kind === "consecutive_failures" && n.target === "central").length,
      1,
      "one notification for the streak",
    );
    const history = await app.api<{ logs: { status: string; retryCount: number }[] }>(
      "GET",
      "/api/integrations/central/history?status=success",
    );
    assert.ok(
      history.body.logs.some((l) => l.retryCount >= 1),
      "history shows the retries",
    );
  });

  for (const form of ["seconds", "HTTP-date"] as const) {
    it(`429 with Retry-After as ${form}: no request before it`, async () => {
      const clock = new ManualClock(Date.UTC(2026, 10, 25, 12, 0, 0, 0));
      const app = await setup({ clock });
      fake.script({
        kind: "status",
        status: 429,
        body: { error: "slow down" },
        headers: { "retry-after": form === "seconds" ? "7" : new Date(clock.now() + 7_000).toUTCString() },
      });
      const orders = app.place(2);
      await waitFor(() => fake.requestsTo("events:batch").length === 1, "the 429");
      const limitedAt = fake.requestsTo("events:batch")[0]?.at ?? 0;
      // The worker has recorded the 429 once the target's not-before lies ahead of the (stopped) clock.
      await waitFor(
        () =>
          (app.app.ctx.journal.get<{ t: number }>(
            "SELECT not_before_ms AS t FROM sync_targets WHERE target = 'central'",
          )?.t ?? 0) > clock.now(),
        "the 429 to be recorded",
      );
      clock.advance(6_000);
      app.rt().workers.central.wake();
      // Proving that no request goes out needs a stretch of time: the worker has no "pass done" signal to wait on.
      await quietWindow(BLOCKED_QUIET_MS, "a woken worker's pass before Retry-After sends nothing");
      assert.equal(fake.requestsTo("events:batch").length, 1, "nothing sent before Retry-After");
      clock.advance(1_100);
      await waitFor(() => openCount(app, "central") === 0, "delivery after Retry-After", 3_000);
      for (const r of fake.requestsTo("events:batch").slice(1))
        assert.ok(r.at >= limitedAt + 7_000, `request at +${r.at - limitedAt} ms honours Retry-After`);
      assertExactlyOnce(
        app,
        orders.map((o) => o.id),
      );
    });
  }

  it("commit-then-drop: the retry is answered duplicate, not a second copy", async () => {
    const app = await setup();
    fake.script({ kind: "commit-then-drop" });
    const orders = app.place(5);
    await waitFor(() => openCount(app, "central") === 0, "delivery after the dropped answer");
    assert.ok(fake.duplicates >= 1, "the resend was recognised as a duplicate");
    assertExactlyOnce(
      app,
      orders.map((o) => o.id),
    );
  });

  it("malformed JSON and a slow body: treated as unknown, resent, still one copy", async () => {
    const app = await setup();
    fake.script([{ kind: "malformed" }, { kind: "slow", ms: 100 }]);
    const orders = app.place(3);
    await waitFor(() => openCount(app, "central") === 0, "delivery after the malformed answer");
    assertExactlyOnce(
      app,
      orders.map((o) => o.id),
    );
  });

  it("flapping (50 % failures): everything arrives, exactly once, in order", async () => {
    const app = await setup({ batchSize: 5 });
    let seed = 42;
    fake.flap(0.5, () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const orders = app.place(20);
    await waitFor(() => openCount(app, "central") === 0, "delivery through flapping", 10_000);
    fake.flap(0);
    assertExactlyOnce(
      app,
      orders.map((o) => o.id),
    );
    assert.ok(
      fake.requests.some((r) => r.fault === "status"),
      "some requests did fail",
    );
  });

  it("the server loses an event: acked_through_seq shows the gap, the range is verified and resent", async () => {
    const app = await setup();
    const first = app.place(3);
    await waitFor(() => openCount(app, "central") === 0, "the first drain");
    const lost = fake.placedEventOf(first[1]?.id ?? "");
    assert.ok(lost);
    fake.deleteEvent(lost);
    const second = app.place(2);
    await waitFor(() => fake.holds(lost) && openCount(app, "central") === 0, "the lost event to be resent");
    assert.equal(fake.order(first[1]?.id ?? "")?.id, first[1]?.id, "the order is back upstream");
    assert.ok(fake.requestsTo("/manifest").length >= 1, "the gap was checked with a manifest query");
    assert.ok([...first, ...second].every((o) => fake.order(o.id)));
  });

  it("verification: a deleted order is found missing and resent, then verified; an altered one raises a mismatch and is not touched", async () => {
    const app = await setup();
    const orders = app.place(4);
    await waitFor(() => openCount(app, "central") === 0, "the drain");
    const [gone, altered] = orders;
    assert.ok(gone && altered);
    fake.deleteEvent(fake.placedEventOf(gone.id) ?? "");
    fake.alterEvent(fake.placedEventOf(altered.id) ?? "");
    // Hold the resend back a little so the operator's view of "missing" can be seen.
    fake.script(
      Array.from({ length: 4 }, () => ({ kind: "status" as const, status: 503 })),
      (r) => r.path.includes("events:batch"),
    );
    const first = await app.api<{
      reports: { target: string; missing: number; mismatched: number; verified: number }[];
    }>("POST", "/api/backups/orders/verify", {});
    assert.equal(first.status, 200);
    const report = first.body.reports.find((r) => r.target === "central");
    assert.equal(report?.missing, 1);
    assert.equal(report.mismatched, 1);
    const missing = await app.api<{ backups: { orderId: string; isMissing: boolean; canImport: boolean }[] }>(
      "GET",
      "/api/backups/orders?isMissing=true",
    );
    assert.deepEqual(
      missing.body.backups.map((b) => [b.orderId, b.canImport]),
      [[gone.id, true]],
    );
    await waitFor(() => fake.order(gone.id), "the resend of the missing order");
    await waitFor(() => openCount(app, "central") === 0, "the resend to be acked");
    await app.api("POST", "/api/backups/orders/verify", {});
    const backup = await app.api<{ backups: { orderId: string; state: string }[] }>(
      "GET",
      "/api/backups/orders?limit=10",
    );
    assert.equal(backup.body.backups.find((b) => b.orderId === gone.id)?.state, "verified");
    assert.notEqual(
      backup.body.backups.find((b) => b.orderId === altered.id)?.state,
      "verified",
      "a mismatched order is never marked verified",
    );
    const notes = await app.api<{ notifications: { kind: string; severity: string; orderId: string | null }[] }>(
      "GET",
      "/api/sync/notifications",
    );
    assert.ok(
      notes.body.notifications.some(
        (n) => n.kind === "total_mismatch" && n.severity === "critical" && n.orderId === altered.id,
      ),
    );
    assert.ok(notes.body.notifications.some((n) => n.kind === "missing_on_server" && n.orderId === gone.id));
    assert.equal(fake.createdPlaced.get(altered.id), 1, "the altered order was not resent");
  });

  it("a rejected event goes dead (kept, notified); an operator re-queues it after the fix", async () => {
    const app = await setup();
    fake.rejectIf = (event) => (event.type === "order.placed" ? "store closed for imports" : undefined);
    const [order] = app.place(1);
    assert.ok(order);
    await waitFor(() => (outboxStates(app, "central").dead ?? 0) === 1, "the item to go dead");
    const dead = await app.api<{ logs: { id: number; status: string; errorMessage: string }[] }>(
      "GET",
      "/api/integrations/central/history?status=failed",
    );
    assert.equal(dead.body.logs.length, 1);
    assert.match(dead.body.logs[0]?.errorMessage ?? "", /store closed/);
    const backup = await app.api<{ backups: { state: string; canImport: boolean }[] }>("GET", "/api/backups/orders");
    assert.deepEqual(
      backup.body.backups.map((b) => [b.state, b.canImport]),
      [["error", true]],
    );
    const stats = await app.api<{ stats: { failedSyncs: number } }>("GET", "/api/integrations/central/stats");
    assert.equal(stats.body.stats.failedSyncs, 1);
    // The server stored it as rejected: a re-queue of the same event is refused again unless the server is fixed.
    fake.rejectIf = undefined;
    const id = dead.body.logs[0]?.id ?? 0;
    assert.equal((await app.api("POST", `/api/sync/items/${id}/requeue`)).status, 200);
    assert.equal(
      (await app.api<{ error: { code: string } }>("POST", `/api/sync/items/${id}/requeue`)).body.error.code,
      "sync_item_not_dead",
    );
  });

  it("a refused token blocks the target: zero further calls until it is connected again", async () => {
    const app = await setup();
    fake.token = "rotated-on-the-server";
    app.place(2);
    await waitFor(
      () => app.rt().roster.rows()[0]?.state === "blocked" || (app.rt().roster.refresh(), false),
      "the target to block",
    );
    const calls = fake.requests.length;
    app.place(3);
    // No call is the assertion: there is no event to wait for, only a window in which none may come.
    await quietWindow(BLOCKED_QUIET_MS, "a blocked target makes no call");
    assert.equal(fake.requests.length, calls, "a blocked target makes no calls");
    const status = await app.api<{ targets: { blocked: boolean; pending: number }[] }>("GET", "/api/sync/status");
    assert.deepEqual([status.body.targets[0]?.blocked, status.body.targets[0]?.pending], [true, 5]);
    await connectCentral(app, "rotated-on-the-server");
    await waitFor(() => openCount(app, "central") === 0, "the drain after reconnecting");
    assert.equal(fake.orderIds().length, 5);
  });

  it("placing an order never waits for upstream, even when every request hangs", async () => {
    const app = await setup({ timeoutMs: 5_000 });
    fake.script(Array.from({ length: 50 }, () => ({ kind: "hang" as const })));
    const token = (await app.api<{ token: string }>("POST", "/api/devices/dev-pair", { role: "kiosk" }, "")).body.token;
    const times: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const began = Date.now();
      const res = await app.api(
        "POST",
        "/api/orders",
        { id: crypto.randomUUID(), items: [{ menuItemId: "fries", quantity: 1 }] },
        token,
      );
      times.push(Date.now() - began);
      assert.equal(res.status, 201);
    }
    assert.ok(
      Math.max(...times) < 500,
      `order placement stays fast while upstream hangs (max ${Math.max(...times)} ms)`,
    );
    assert.equal(openCount(app, "central"), 40, "all events wait in the outbox");
  });
});
