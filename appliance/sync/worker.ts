/**
 * One worker per target (docs/architecture.md#outbox-states): a single-flight async loop woken by
 * commits, by a timer tick and by the network coming back — never only edge-triggered. Each pass:
 * take due items and mark them `sending` under a lease in one transaction, call the adapter
 * outside any transaction, write the outcome in one transaction. Placing an order never waits
 * for any of this.
 *
 * While upstream cannot be reached at all (connection refused, unreachable), the worker stops
 * retrying items and probes with a TCP connect every `sync.retry.offlineProbeMs`; when the probe
 * connects, items that failed only for that reason are due at once (network back → first ack).
 */
import type { Clock } from "../lib/clock.ts";
import type { Logger } from "../lib/logger.ts";
import type { Journal } from "../journal/database.ts";
import {
  dueItems,
  getItem,
  leaseItems,
  nextDueAt,
  openHead,
  previousStreamSeq,
  recoverLeases,
  wakeNetworkFailures,
} from "../journal/outbox-store.ts";
import { recordAttempt } from "../journal/sync-attempt-store.ts";
import { getTarget } from "../journal/sync-target-store.ts";
import { eventsBySeq } from "../journal/events.ts";
import { nextAttemptDelay } from "./backoff.ts";
import type { Failpoint } from "../lib/failpoints.ts";
import { accountRequest, applySendOutcome, blockWith, moveItem, type OutcomeContext } from "./outcomes.ts";
import type { Adapter, LookupResult, Outcome, OutboxItem, Target, WorkItem } from "./types.ts";

/** Items a provider worker leases at once (sent one per request, outcomes written one by one). */
const PROVIDER_LEASE = 10;

export interface WorkerOptions {
  target: Target;
  journal: Journal;
  clock: Clock;
  log: Logger;
  adapter: Adapter;
  outcome: Omit<OutcomeContext, "capabilities">;
  tickMs: number;
  offlineProbeMs: number;
  leaseMs: number;
  ownerId: string;
  failpoint: Failpoint;
  /** Something people see changed (backlog, state): push the sync status. */
  onChange: () => void;
  /** Central: the server's chain ends before what we think it holds: check (fromSeq, toSeq] of that instance. */
  onGap?: (instanceId: string, fromSeq: number, toSeq: number) => void;
}

type Plan = { kind: "idle"; waitMs: number } | { kind: "send"; work: WorkItem[] } | { kind: "lookup"; work: WorkItem };

export class TargetWorker {
  readonly #o: WorkerOptions;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #stopped = false;
  #woken = false;
  #wakeUp: (() => void) | undefined;
  #offline = false;
  #lastGap = -1;
  /** Requests made (tests and the bench read it). */
  requests = 0;

  constructor(options: WorkerOptions) {
    this.#o = options;
  }

  get target(): Target {
    return this.#o.target;
  }

  /** True while upstream is unreachable and the worker only probes. */
  get offline(): boolean {
    return this.#offline;
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Look for work now (a commit, "sync now", a connect). */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Stops after the pass in flight; a request in flight is aborted (its outcome stays unknown, its lease is recovered at the next start). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    this.wake();
    await this.#loop;
  }

  #isStopped(): boolean {
    return this.#stopped;
  }

  async #run(): Promise<void> {
    while (!this.#isStopped()) {
      let waitMs: number;
      try {
        waitMs = await this.step();
      } catch (error) {
        if (this.#isStopped()) break;
        this.#o.log.error({ err: error, target: this.#o.target }, "sync pass failed; trying again after a tick");
        waitMs = this.#o.tickMs;
      }
      if (this.#isStopped()) break;
      if (waitMs > 0) await this.#sleep(waitMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wakeUp = () => {
        this.#woken = false;
        this.#wakeUp = undefined;
        done();
      };
    });
  }

  /** One pass; returns how long to wait before the next (0: at once). Public for tests. */
  async step(): Promise<number> {
    const { journal, clock, tickMs } = this.#o;
    const row = getTarget(journal, this.#o.target);
    // Blocked or disconnected: zero calls until someone connects it again (the wake comes then).
    if (!row || row.state !== "active") return tickMs;
    const now = clock.now();
    if (row.notBeforeMs > now) return Math.min(row.notBeforeMs - now, tickMs);
    if (this.#offline) {
      const up = await this.#o.adapter.probe(this.#abort.signal);
      if (!up) return this.#o.offlineProbeMs;
      this.#offline = false;
      const woken = journal.transaction(() => wakeNetworkFailures(journal, this.#o.target, clock.now()));
      this.#o.log.info({ target: this.#o.target, due: woken }, "upstream reachable again; sending what waited");
    }
    const plan = journal.transaction(() => this.#plan(clock.now()));
    if (plan.kind === "idle") return plan.waitMs;
    if (plan.kind === "lookup") {
      await this.#lookup(plan.work);
      return 0;
    }
    this.#o.failpoint("after-lease");
    await this.#send(plan.work);
    return 0;
  }

  #ctx(): OutcomeContext {
    return { ...this.#o.outcome, capabilities: this.#o.adapter.capabilities };
  }

  /** Inside a transaction: pick due items and lease them, or say how long until one is due. */
  #plan(now: number): Plan {
    const { journal, adapter } = this.#o;
    recoverLeases(journal, now, this.#o.ownerId);
    const caps = adapter.capabilities;
    const candidates = caps.ordered ? this.#orderedHead(now) : dueItems(journal, this.#o.target, now, PROVIDER_LEASE);
    if (candidates.length === 0) {
      const due = nextDueAt(journal, this.#o.target);
      return {
        kind: "idle",
        waitMs: due === undefined ? this.#o.tickMs : Math.max(1, Math.min(due - now, this.#o.tickMs)),
      };
    }
    const events = new Map(
      eventsBySeq(
        journal,
        candidates.map((c) => c.eventSeq),
      ).map((e) => [e.seq, e]),
    );
    const work: WorkItem[] = [];
    for (const item of candidates) {
      const event = events.get(item.eventSeq);
      if (!event) continue;
      // A batch speaks for one device instance (a restored journal holds two).
      if (work.length > 0 && work[0]?.event.instanceId !== event.instanceId) break;
      const dependencyRemoteId = item.dependsOn === null ? null : (getItem(journal, item.dependsOn)?.remoteId ?? null);
      const prevSeq = caps.ordered ? previousStreamSeq(journal, this.#o.target, item.eventSeq, event.instanceId) : 0;
      work.push({ item, event, dependencyRemoteId, prevSeq });
    }
    const first = work[0];
    if (!first) return { kind: "idle", waitMs: this.#o.tickMs };
    if (!caps.ordered) {
      const lookup = work.find((w) => this.#mustLookUp(w.item, now));
      if (lookup) {
        if (lookup.item.state !== "needs_lookup")
          moveItem(journal, lookup.item.id, "needs_lookup", { nextAttemptAtMs: now });
        return { kind: "lookup", work: { ...lookup, item: { ...lookup.item, state: "needs_lookup" } } };
      }
    }
    leaseItems(
      journal,
      work.map((w) => w.item.id),
      this.#o.ownerId,
      now,
      now + this.#o.leaseMs,
    );
    return {
      kind: "send",
      work: work.map((w) => ({
        ...w,
        item: {
          ...w.item,
          state: "sending",
          attempts: w.item.attempts + 1,
          attempted: true,
          firstAttemptAtMs: w.item.firstAttemptAtMs ?? now,
        },
      })),
    };
  }

  /** Ordered targets (central): the longest due prefix of the open items, in seq order. */
  #orderedHead(now: number): OutboxItem[] {
    const head = openHead(this.#o.journal, this.#o.target, this.#o.adapter.capabilities.batchSize);
    const take: OutboxItem[] = [];
    for (const item of head) {
      if (item.state === "sending" || item.state === "needs_lookup") break;
      if (item.state === "retry_wait" && item.nextAttemptAtMs > now) break;
      take.push(item);
    }
    return take;
  }

  /**
   * Settle an unknown outcome before sending again (docs/architecture.md#idempotency-keys): always
   * for upstreams without keys, and for keyed ones once the first attempt is older than the key's
   * assumed lifetime.
   */
  #mustLookUp(item: OutboxItem, now: number): boolean {
    if (item.state === "needs_lookup" || item.state === "missing_on_server") return true;
    if (!item.outcomeUnknown || !item.attempted) return false;
    const caps = this.#o.adapter.capabilities;
    if (!caps.idempotent) return true;
    return item.firstAttemptAtMs !== null && now - item.firstAttemptAtMs > caps.keyTtlMs;
  }

  /**
   * Ordered targets send the whole lease as one batch. Providers take one item per request, in
   * turn; when upstream says stop (rate limit, block, unreachable) the rest of the lease goes back
   * to waiting, unsent.
   */
  async #send(work: WorkItem[]): Promise<void> {
    const size = this.#o.adapter.capabilities.batchSize;
    for (let i = 0; i < work.length; i += size) {
      const chunk = work.slice(i, i + size);
      const outcomes = await this.#request(chunk);
      const stop =
        this.#abort.signal.aborted ||
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
    const result = await adapter.send(work, this.#abort.signal);
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

  async #lookup(work: WorkItem): Promise<void> {
    const { journal, clock, adapter } = this.#o;
    this.requests += 1;
    const started = performance.now();
    const result: LookupResult = await adapter.lookup(work, this.#abort.signal);
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
