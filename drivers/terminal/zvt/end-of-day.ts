/**
 * End of day (06 50) on a ZVT terminal: the terminal talks to its host, reports the totals in its
 * status-information (04 0F: `04` total, `60` per-brand counts and turnover) and prints the
 * administration receipt. Every failure throws a DriverError.
 */
import { DriverError } from "../../errors.ts";
import type { TerminalTotals } from "../terminal.ts";
import type { Apdu } from "./apdu.ts";
import { TransactionLog, type End } from "./answers.ts";
import { resultCodeText } from "./bmp.ts";
import type { Link } from "./link.ts";

/** Runs the end of day (`request`, 06 50) on `link` and returns the day's totals in `currency`. */
export async function runEndOfDay(
  link: Link,
  request: Apdu,
  deadline: number,
  currency: string,
): Promise<TerminalTotals> {
  const log = new TransactionLog(undefined);
  const result = await link.converse<End>(request, deadline, (m) => log.take(m));
  switch (result.kind) {
    case "done":
      break;
    case "refused":
      throw new DriverError("refused", `end of day refused: ${resultCodeText(result.code)}`);
    case "not_written":
      throw new DriverError("write_failed", `end of day not sent: ${result.reason}`);
    case "closed":
      throw new DriverError("closed", `connection closed during the end of day: ${result.reason}`);
    case "no_ack":
    case "timeout":
      await link.close();
      throw new DriverError("status_timeout", "the terminal did not finish the end of day in time");
  }
  if (result.value.end === "abort")
    throw new DriverError("refused", `end of day failed: ${resultCodeText(result.value.resultCode)}`);
  const byBrand = log.status?.totals?.byBrand ?? [];
  return {
    total: log.status?.amount ?? byBrand.reduce((sum, b) => sum + b.total, 0),
    count: byBrand.reduce((sum, b) => sum + b.count, 0),
    currency,
    byBrand,
    receiptLines: log.adminLines(),
  };
}
