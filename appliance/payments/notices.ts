/**
 * What the payments feature tells people: a checkout settled after a lost answer or a restart, a
 * charge reversed, a terminal's end of day that disagrees with the journal. Each is a row of the
 * admin notifications (journal/job-store.ts), in its own transaction, delivered to the webhook
 * when one is set.
 */
import type { CommandContext } from "../commands/context.ts";
import { iso } from "../commands/context.ts";
import { insertNotification, type Severity } from "../journal/job-store.ts";

export type PaymentNoticeKind =
  "payment_settled" | "payment_reversed" | "payment_reversal_failed" | "refund_unrecorded" | "terminal_mismatch";

export function raiseNotice(
  ctx: CommandContext,
  notice: {
    kind: PaymentNoticeKind;
    severity: Severity;
    terminal: string;
    orderId: string | null;
    message: string;
    details: Record<string, unknown>;
  },
): void {
  ctx.journal.transaction(() =>
    insertNotification(ctx.journal, {
      kind: notice.kind,
      severity: notice.severity,
      target: `terminal:${notice.terminal}`,
      orderId: notice.orderId,
      message: notice.message,
      details: notice.details,
      raisedAt: iso(ctx.clock.now()),
      deliver: ctx.config.sync.notifications.webhookUrl !== "",
    }),
  );
}
