/**
 * Item-level done marks on kitchen tickets: a cook ticks off one line (or one component of a
 * combo) as done. Marks live on the order as mutable state, each change is an event, and every
 * kitchen screen sees it live.
 */
import { isActive } from "../domain/order-status.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { appendEvent } from "../journal/events.ts";
import { getOrder, setDoneMarks, type OrderSnapshot } from "../journal/order-store.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { OrderView } from "../../protocol/schemas/orders.ts";
import { actorOf, iso, type CommandContext } from "./context.ts";
import type { CommandResult } from "./order-commit.ts";
import { orderViewAt } from "./views.ts";

/** Every mark a ticket offers: each line, and each component of a combo line. */
export function marksOf(snapshot: OrderSnapshot): Set<string> {
  return new Set(snapshot.lines.flatMap((line) => [line.id, ...line.components.map((c) => `${line.id}/${c.slot}`)]));
}

export function setMark(
  ctx: CommandContext,
  principal: Principal,
  orderId: string,
  mark: string,
  done: boolean,
): CommandResult<OrderView> {
  return ctx.journal.transaction(() => {
    const record = getOrder(ctx.journal, orderId);
    if (!record) throw new AppError("order_not_found", `no order ${orderId}`);
    if (!marksOf(record.snapshot).has(mark))
      throw new AppError("line_not_found", `order ${orderId} has no line "${mark}"`, { details: { mark } });
    if (!isActive(record.status)) {
      throw new AppError("illegal_transition", `an order that is ${record.status} is no longer on the kitchen screen`, {
        details: { from: record.status, allowed: [] },
      });
    }
    const marks = new Set(record.doneMarks);
    if (marks.has(mark) === done) {
      return {
        statusCode: 200,
        body: orderViewAt(ctx.config, record.snapshot, record, record.updatedAt, record.lastSeq),
        events: [],
        replayed: false,
      };
    }
    if (done) marks.add(mark);
    else marks.delete(mark);
    const doneMarks = [...marks].sort();
    const at = iso(ctx.clock.now());
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "order.line_marked",
      aggregateId: orderId,
      actor: actorOf(principal),
      payload: { orderId, mark, done, status: record.status, doneMarks },
      createdAt: at,
    });
    setDoneMarks(ctx.journal, orderId, doneMarks, at, event.seq);
    return {
      statusCode: 200,
      body: orderViewAt(ctx.config, record.snapshot, { status: record.status, doneMarks }, at, event.seq),
      events: [event],
      replayed: false,
    };
  });
}
