/**
 * Journal backup retention (docs/architecture.md#backups-and-retention), pure. A backup may go only
 * if all hold:
 * 1. at least `keep` newer ready backups exist — "newer" by creation order, not by the clock;
 * 2. every event up to its highest seq is verified upstream (central);
 * 3. it is older than `retentionDays` by the wall clock (a backup stamped in the future — the
 *    clock went back — is never old);
 * 4. the clock is synchronised: no time-based deletion on a board that booted with a stale clock.
 */
export interface RetentionBackup {
  id: number;
  createdAtMs: number;
  seq: number;
}

export interface RetentionInput {
  /** Ready backups. */
  backups: readonly RetentionBackup[];
  nowMs: number;
  keep: number;
  retentionDays: number;
  clockSynced: boolean;
  /** Whether every event up to `seq` is verified upstream. */
  verifiedThrough(seq: number): boolean;
}

export interface RetentionDecision {
  id: number;
  delete: boolean;
  reason: string;
}

export interface RetentionPlan {
  decisions: RetentionDecision[];
  /** Set when nothing may be deleted at all now. */
  skipped?: string;
}

export function retentionPlan(input: RetentionInput): RetentionPlan {
  const newestFirst = [...input.backups].sort((a, b) => b.id - a.id);
  if (!input.clockSynced) {
    return {
      skipped: "the clock is not synchronised",
      decisions: newestFirst.map((b) => ({ id: b.id, delete: false, reason: "the clock is not synchronised" })),
    };
  }
  const maxAgeMs = input.retentionDays * 86_400_000;
  const decisions = newestFirst.map((b, index): RetentionDecision => {
    if (index < input.keep) return { id: b.id, delete: false, reason: `one of the newest ${input.keep}` };
    if (b.createdAtMs > input.nowMs)
      return { id: b.id, delete: false, reason: "stamped in the future (the clock moved back)" };
    if (input.nowMs - b.createdAtMs < maxAgeMs)
      return { id: b.id, delete: false, reason: `younger than ${input.retentionDays} days` };
    if (!input.verifiedThrough(b.seq))
      return { id: b.id, delete: false, reason: `events up to seq ${b.seq} are not all verified upstream` };
    return { id: b.id, delete: true, reason: "old, superseded and verified upstream" };
  });
  return { decisions };
}
