/**
 * Named points in the send, refresh, backup and retention paths where a fault test may kill the
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
] as const;
export type FailpointName = (typeof FAILPOINTS)[number];

export type Failpoint = (name: FailpointName) => void;

export const noFailpoint: Failpoint = () => undefined;
