/**
 * A cash shift goes upstream as it happened: open, movements, close and its Z report reach the
 * (fake) central server in the journal's seq order, between the payments taken in the shift, with
 * the figures the board worked out.
 */
import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { FakeCentral } from "../../fakes/fake-central.ts";
import type { CashCloseResponse, CashShiftView } from "../../../protocol/schemas/cash.ts";
import { connectCentral, openCount, startSyncApp, waitFor, type SyncApp } from "./helpers.ts";

let fake: FakeCentral;
let t: SyncApp | undefined;

afterEach(async () => {
  await t?.stop();
  t = undefined;
  await fake.stop();
});

interface SentEvent {
  seq: number;
  type: string;
  payload: Record<string, unknown>;
}

describe("sync: cash shifts upstream", () => {
  it("sends a shift's open, movement, close and Z report to central in seq order", async () => {
    fake = new FakeCentral();
    await fake.start();
    const app = await startSyncApp({
      sync: { central: { url: fake.url, timeoutMs: 1_000 } },
      config: { cash: { shifts: "required" } },
    });
    t = app;
    await connectCentral(app);

    const opened = await app.api<CashShiftView>("POST", "/api/cash/open", { openingFloat: 5_000 });
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    const [order] = app.place(1);
    assert.ok(order);
    app.pay(order.id, { method: "cash", amount: order.totals.total });
    const moved = await app.api("POST", "/api/cash/move", { type: "cash_out", amount: 1_000, reason: "to the safe" });
    assert.equal(moved.status, 201, JSON.stringify(moved.body));
    const closed = await app.api<CashCloseResponse>("POST", "/api/cash/close", {
      counted: 4_000 + order.totals.total,
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));

    await waitFor(() => openCount(app, "central") === 0, "the central backlog to drain");
    const sent = fake
      .requestsTo("events:batch")
      .flatMap((r) => (r.body as { events: SentEvent[] }).events)
      .filter((e) => e.type.startsWith("cash.") || e.type === "payment.recorded");
    assert.deepEqual(
      sent.map((e) => e.type),
      ["cash.shift_opened", "payment.recorded", "cash.moved", "cash.shift_closed", "cash.report_created"],
    );
    assert.deepEqual(
      sent.map((e) => e.seq),
      [...sent.map((e) => e.seq)].sort((a, b) => a - b),
      "in seq order",
    );
    for (const event of sent.filter((e) => e.type.startsWith("cash.")))
      assert.equal(event.payload.shiftId, opened.body.id, `${event.type} names the shift`);
    const close = sent.find((e) => e.type === "cash.shift_closed");
    assert.deepEqual((close?.payload.summary as { overShort: number } | undefined)?.overShort, 0);
    const report = sent.find((e) => e.type === "cash.report_created");
    assert.deepEqual([report?.payload.kind, report?.payload.reportId], ["z", closed.body.report.id]);
  });
});
