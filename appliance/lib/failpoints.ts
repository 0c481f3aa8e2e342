/**
 * Named points in the send, refresh, backup, retention and card payment paths where a fault test may kill the
 * process (docs/architecture.md#fault-tests, "Failpoints"). Production passes `noFailpoint`; the fault
 * tests' child process passes a function that SIGKILLs itself at the point named in
 * GALLEY_FAILPOINT.
 */
export const FAILPOINTS = [
  /** The worker marked items `sending` (lease committed), nothing sent yet. */
  "after-lease",
  /** The request was sent and its answer has arrived, but it has not been read. */
  "after-send",
  /** A 2xx was read, the outcome is not yet written (`acked`). */
  "after-response",
  /** A refreshed token came back, not yet persisted. */
  "after-refresh",
  /** A journal backup is written, checked and fsynced, not yet renamed into place. */
  "backup-before-rename",
  /** Retention marked a backup `deleting`, the file is not yet unlinked. */
  "retention-after-deleting",
  /** A card payment attempt is `presenting` (committed), the terminal not yet asked. */
  "payment-before-request",
  /** The terminal approved; the order and its payment are not yet written. */
  "payment-after-approval",
  /** The order and its payment are committed; the kiosk has not yet been told. */
  "payment-after-commit",
] as const;
export type FailpointName = (typeof FAILPOINTS)[number];

export type Failpoint = (name: FailpointName) => void;

export const noFailpoint: Failpoint = () => undefined;
