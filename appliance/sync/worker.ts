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
 *
 * This file is the scheduling side (loop, wake, lease, lookup decisions, waits); calling the
 * adapter and writing outcomes is exchange.ts.
 */
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
import { getTarget } from "../journal/sync-target-store.ts";
import { eventsBySeq } from "../journal/events.ts";
import { TargetExchange, type ExchangeOptions } from "./exchange.ts";
import { moveItem } from "./outcomes.ts";
import type { WorkItem } from "./types.ts";
import type { OutboxItem, Target } from "../journal/outbox-types.ts";

/** Items a provider worker leases at once (sent one per request, outcomes written one by one). */
const PROVIDER_LEASE = 10;

export interface WorkerOptions extends ExchangeOptions {
  tickMs: number;
  offlineProbeMs: number;
  leaseMs: number;
  ownerId: string;
}

type Plan = { kind: "idle"; waitMs: number } | { kind: "send"; work: WorkItem[] } | { kind: "lookup"; work: WorkItem };

export class TargetWorker {
  readonly #o: WorkerOptions;
  readonly #abort = new AbortController();
  #loop: Promise<void> | undefined;
  #stopped = false;
  #woken = false;
  #wakeUp: (() => void) | undefined;
  readonly #exchange: TargetExchange;

  constructor(options: WorkerOptions) {
    this.#o = options;
    this.#exchange = new TargetExchange(options, this.#abort.signal);
  }

  /** Requests made (tests and the bench read it). */
  get requests(): number {
    return this.#exchange.requests;
  }

  get target(): Target {
    return this.#o.target;
  }

  /** True while upstream is unreachable and the worker only probes. */
  get offline(): boolean {
    return this.#exchange.offline;
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
    if (this.#exchange.offline) {
      const up = await this.#o.adapter.probe(this.#abort.signal);
      if (!up) return this.#o.offlineProbeMs;
      this.#exchange.reachable();
      const woken = journal.transaction(() => wakeNetworkFailures(journal, this.#o.target, clock.now()));
      this.#o.log.info({ target: this.#o.target, due: woken }, "upstream reachable again; sending what waited");
    }
    const plan = journal.transaction(() => this.#plan(clock.now()));
    if (plan.kind === "idle") return plan.waitMs;
    if (plan.kind === "lookup") {
      await this.#exchange.lookup(plan.work);
      return 0;
    }
    this.#o.failpoint("after-lease");
    await this.#exchange.send(plan.work);
    return 0;
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
}
