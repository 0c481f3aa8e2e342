/**
 * The request side of a target worker (worker.ts): given items the worker has already leased or
 * marked for lookup, call the adapter outside any transaction, then write each item's outcome, the
 * target's request accounting and the attempt record in one transaction. It also notices when
 * upstream becomes unreachable (the worker then only probes) and, for central, when the server's
 * chain has a gap.
 */
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import { recordAttempt } from "../journal/sync-attempt-store.ts";
import { nextAttemptDelay } from "./backoff.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import { accountRequest, applySendOutcome, blockWith, moveItem, type OutcomeContext } from "./outcomes.ts";
import type { Adapter, LookupResult, Outcome, WorkItem } from "./types.ts";
import type { Target } from "../journal/outbox-types.ts";

/** What sending and looking up need of the worker's options. */
export interface ExchangeOptions {
  target: Target;
  journal: Journal;
  clock: Clock;
  log: Logger;
  adapter: Adapter;
  outcome: Omit<OutcomeContext, "capabilities">;
  failpoint: Failpoint;
  /** Something people see changed (backlog, state): push the sync status. */
  onChange: () => void;
  /** Central: the server's chain ends before what we think it holds: check (fromSeq, toSeq] of that instance. */
  onGap?: (instanceId: string, fromSeq: number, toSeq: number) => void;
}

export class TargetExchange {
  readonly #o: ExchangeOptions;
  readonly #signal: AbortSignal;
  #offline = false;
  #lastGap = -1;
  /** Requests made. */
  requests = 0;

  /** `signal` aborts a request in flight (the worker's stop). */
  constructor(options: ExchangeOptions, signal: AbortSignal) {
    this.#o = options;
    this.#signal = signal;
  }

  /** True since a request found upstream unreachable, until `reachable()`. */
  get offline(): boolean {
    return this.#offline;
  }

  /** The worker's probe connected again. */
  reachable(): void {
    this.#offline = false;
  }

  #ctx(): OutcomeContext {
    return { ...this.#o.outcome, capabilities: this.#o.adapter.capabilities };
  }

  /**
   * Ordered targets send the whole lease as one batch. Providers take one item per request, in
   * turn; when upstream says stop (rate limit, block, unreachable) the rest of the lease goes back
   * to waiting, unsent.
   */
  async send(work: WorkItem[]): Promise<void> {
    const size = this.#o.adapter.capabilities.batchSize;
    for (let i = 0; i < work.length; i += size) {
      const chunk = work.slice(i, i + size);
      const outcomes = await this.#request(chunk);
      const stop =
        this.#signal.aborted ||
        outcomes.some(
          (o) =>
            o.kind === "rate_limited" ||
            o.kind === "blocked" ||
            o.kind === "auth" ||
            (o.kind === "transient" && o.network),
        );
      if (stop && i + size < work.length) {
        const rest = work.slice(i + size);
        const now = this.#o.clock.now();
        this.#o.journal.transaction(() => {
          for (const w of rest)
            moveItem(this.#o.journal, w.item.id, "retry_wait", {
              nextAttemptAtMs: now,
              networkFailure: outcomes.some((o) => o.kind === "transient" && o.network),
            });
        });
        break;
      }
    }
    this.#o.onChange();
  }

  async #request(work: WorkItem[]): Promise<Outcome[]> {
    const { journal, clock, adapter } = this.#o;
    this.requests += 1;
    const result = await adapter.send(work, this.#signal);
    if (result.outcomes.some((o) => o.kind === "acked")) this.#o.failpoint("after-response");
    const ctx = this.#ctx();
    journal.transaction(() => {
      work.forEach((w, i) => {
        const outcome = result.outcomes[i] ?? {
          kind: "transient",
          unknown: true,
          network: false,
          code: "NO_OUTCOME",
          detail: "the adapter gave no outcome",
        };
        applySendOutcome(ctx, w, outcome, result.durationMs);
      });
      accountRequest(ctx, this.#o.target, result.outcomes);
      const first = result.outcomes[0];
      recordAttempt(journal, {
        target: this.#o.target,
        operation: work[0]?.item.operation ?? "event",
        outboxId: work[0]?.item.id ?? null,
        items: work.length,
        outcome: summarise(result.outcomes),
        httpStatus: result.status ?? null,
        errorCode: first && first.kind !== "acked" ? first.code : null,
        detail: first && first.kind !== "acked" ? first.detail : null,
        durationMs: result.durationMs,
        at: new Date(clock.now()).toISOString(),
      });
    });
    if (result.outcomes.some((o) => o.kind === "transient" && o.network)) {
      if (!this.#offline)
        this.#o.log.warn(
          { target: this.#o.target },
          "upstream unreachable; orders wait in the journal, probing until it answers",
        );
      this.#offline = true;
    }
    this.#checkChain(
      work,
      result.ackedThroughSeq,
      result.outcomes.every((o) => o.kind === "acked"),
    );
    return result.outcomes;
  }

  /** Central answers with the end of its unbroken chain; if that is short of what it just acknowledged, something went missing there. */
  #checkChain(work: readonly WorkItem[], ackedThroughSeq: number | undefined, allAcked: boolean): void {
    const last = work[work.length - 1];
    if (ackedThroughSeq === undefined || !allAcked || !last || !this.#o.onGap) return;
    if (ackedThroughSeq >= last.event.seq || ackedThroughSeq === this.#lastGap) return;
    this.#lastGap = ackedThroughSeq;
    this.#o.log.warn(
      { target: this.#o.target, ackedThroughSeq, sent: last.event.seq },
      "the central server's chain has a gap; verifying that range",
    );
    this.#o.onGap(last.event.instanceId, ackedThroughSeq, last.event.seq);
  }

  async lookup(work: WorkItem): Promise<void> {
    const { journal, clock, adapter } = this.#o;
    this.requests += 1;
    const started = performance.now();
    const result: LookupResult = await adapter.lookup(work, this.#signal);
    const durationMs = performance.now() - started;
    const ctx = this.#ctx();
    const now = clock.now();
    journal.transaction(() => {
      if ("failed" in result) {
        const outcome = result.failed;
        if (outcome.kind === "blocked" || outcome.kind === "auth") {
          blockWith(ctx, this.#o.target, outcome.code, outcome.detail);
        } else if (outcome.kind !== "acked") {
          const retryAfter = "retryAfterMs" in outcome ? outcome.retryAfterMs : undefined;
          moveItem(journal, work.item.id, "needs_lookup", {
            nextAttemptAtMs: now + nextAttemptDelay(work.item.attempts + 1, ctx.policy, retryAfter, ctx.random),
            errorCode: outcome.code,
            errorDetail: `lookup: ${outcome.detail}`,
            networkFailure: outcome.kind === "transient" && outcome.network,
          });
        }
        accountRequest(ctx, this.#o.target, [outcome]);
        if (outcome.kind === "transient" && outcome.network) this.#offline = true;
      } else if (result.found) {
        applySendOutcome(
          ctx,
          work,
          {
            kind: "acked",
            remoteId: result.remoteId,
            ...(result.remoteVersion !== undefined ? { remoteVersion: result.remoteVersion } : {}),
          },
          durationMs,
        );
        accountRequest(ctx, this.#o.target, [{ kind: "acked" }]);
      } else {
        // Not there: sending again with the same key cannot make a second copy.
        moveItem(journal, work.item.id, "pending", {
          nextAttemptAtMs: now,
          outcomeUnknown: false,
          errorCode: null,
          errorDetail: null,
        });
        accountRequest(ctx, this.#o.target, [{ kind: "acked" }]);
      }
      recordAttempt(journal, {
        target: this.#o.target,
        operation: `lookup:${work.item.operation}`,
        outboxId: work.item.id,
        items: 1,
        outcome: "failed" in result ? result.failed.kind : result.found ? "found" : "not_found",
        httpStatus: null,
        errorCode: "failed" in result && result.failed.kind !== "acked" ? result.failed.code : null,
        detail: null,
        durationMs,
        at: new Date(now).toISOString(),
      });
    });
    this.#o.onChange();
  }
}

function summarise(outcomes: readonly { kind: string }[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => (outcomes.length === 1 ? k : `${k}:${n}`)).join(",");
}
