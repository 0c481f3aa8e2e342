/** The central server adapter: the protocol of central-protocol.ts. Idempotent forever (UNIQUE event ids). */
import { compileValidator } from "../../lib/validate.ts";
import { classifyStatus, malformedOutcome, retryAfterOf } from "../classify.ts";
import { tcpProbe } from "../../lib/http-client.ts";
import type {
  Adapter,
  AdapterCapabilities,
  LookupResult,
  Outcome,
  RemoteCheck,
  SendResult,
  WorkItem,
} from "../types.ts";
import { authorized, str, type AdapterContext, type Answered } from "./common.ts";
import {
  BatchResponse,
  MANIFEST_MAX_SPAN,
  ManifestResponse,
  StoreOrdersResponse,
  type BatchRequest,
  type StoreOrder,
} from "./central-protocol.ts";

const validateBatch = compileValidator(BatchResponse);
const validateManifest = compileValidator(ManifestResponse);
const validateOrders = compileValidator(StoreOrdersResponse);

export class CentralAdapter implements Adapter {
  readonly target = "central" as const;
  readonly capabilities: AdapterCapabilities;
  readonly #ctx: AdapterContext;

  constructor(ctx: AdapterContext) {
    this.#ctx = ctx;
    this.capabilities = {
      idempotent: true,
      keyTtlMs: Number.POSITIVE_INFINITY,
      batchSize: ctx.config.sync.central.batchSize,
      ordered: true,
    };
  }

  get #base(): string {
    return this.#ctx.config.sync.central.url.replace(/\/+$/, "");
  }

  get #timeoutMs(): number {
    return this.#ctx.config.sync.central.timeoutMs;
  }

  storeId(): string {
    return str(this.#ctx.settings().storeId) ?? this.#ctx.config.sync.central.storeId;
  }

  #classify = (answer: Answered): Outcome =>
    classifyStatus(
      answer.status,
      retryAfterOf(answer, this.#ctx.clock.now()),
      `HTTP_${answer.status}`,
      answer.text.slice(0, 200),
    );

  async send(items: readonly WorkItem[], signal: AbortSignal): Promise<SendResult> {
    const first = items[0];
    if (!first) return { outcomes: [], durationMs: 0 };
    const instanceId = first.event.instanceId;
    const body: BatchRequest = {
      device: { instance_id: instanceId, store_id: this.storeId() },
      events: items.map((w) => ({
        id: w.event.id,
        seq: w.event.seq,
        prev_seq: w.prevSeq,
        type: w.event.type,
        aggregate_id: w.event.aggregateId,
        created_at: w.event.createdAt,
        payload: w.event.payload,
        hash: w.event.hash,
      })),
    };
    const started = performance.now();
    const { answer, outcome } = await authorized(
      this.#ctx.session,
      signal,
      (token) =>
        this.#ctx.http.request({
          method: "POST",
          url: `${this.#base}/v1/devices/${encodeURIComponent(instanceId)}/events:batch`,
          headers: { authorization: `Bearer ${token}` },
          body,
          timeoutMs: this.#timeoutMs,
          signal,
        }),
      this.#classify,
    );
    const durationMs = performance.now() - started;
    const status = answer?.status;
    if (!answer || outcome.kind !== "acked")
      return { outcomes: items.map(() => outcome), durationMs, ...(status !== undefined ? { status } : {}) };
    if (answer.jsonError !== undefined)
      return {
        outcomes: items.map(() => malformedOutcome(answer, "the batch answer is not JSON")),
        durationMs,
        status: answer.status,
      };
    const checked = validateBatch(answer.json);
    if (!checked.ok)
      return {
        outcomes: items.map(() =>
          malformedOutcome(answer, `the batch answer breaks the protocol (${checked.errors.join("; ")})`),
        ),
        durationMs,
        status: answer.status,
      };
    const byId = new Map(checked.value.results.map((r) => [r.id, r]));
    const outcomes = items.map((w): Outcome => {
      const result = byId.get(w.event.id);
      if (!result)
        return {
          kind: "transient",
          unknown: true,
          network: false,
          status: answer.status,
          code: "NO_RESULT",
          detail: "the server's answer has no result for this event",
        };
      switch (result.status) {
        case "created":
          return { kind: "acked", status: answer.status };
        case "duplicate":
          return { kind: "acked", duplicate: true, status: answer.status };
        case "rejected":
          return {
            kind: "rejected",
            status: answer.status,
            code: "REJECTED",
            detail: result.reason ?? "rejected by the central server",
          };
        case "conflict":
          return {
            kind: "conflict",
            status: answer.status,
            code: "CONFLICT",
            detail: result.reason ?? "the server holds different content under this event id",
          };
      }
    });
    return { outcomes, ackedThroughSeq: checked.value.acked_through_seq, durationMs, status: answer.status };
  }

  /** Central keeps idempotency forever: a resend is always safe, so there is nothing to look up. */
  lookup(): Promise<LookupResult> {
    return Promise.resolve({ found: false });
  }

  async verify(items: readonly WorkItem[], signal: AbortSignal): Promise<RemoteCheck[] | { failed: Outcome }> {
    const checks: RemoteCheck[] = [];
    const byInstance = new Map<string, WorkItem[]>();
    for (const w of items) byInstance.set(w.event.instanceId, [...(byInstance.get(w.event.instanceId) ?? []), w]);
    for (const [instanceId, group] of byInstance) {
      group.sort((a, b) => a.event.seq - b.event.seq);
      let start = 0;
      while (start < group.length) {
        const from = group[start]?.event.seq ?? 0;
        let end = start;
        while (end + 1 < group.length && (group[end + 1]?.event.seq ?? 0) - from < MANIFEST_MAX_SPAN) end += 1;
        const to = group[end]?.event.seq ?? from;
        const manifest = await this.manifest(instanceId, from, to, signal);
        if ("failed" in manifest) return manifest;
        const held = new Map(manifest.events.map((e) => [e.id, e]));
        for (const w of group.slice(start, end + 1)) {
          const remote = held.get(w.event.id);
          if (!remote) checks.push({ itemId: w.item.id, present: false });
          else if (remote.hash !== w.event.hash || remote.seq !== w.event.seq)
            checks.push({
              itemId: w.item.id,
              present: true,
              mismatch: `server holds hash ${remote.hash.slice(0, 12)}… at seq ${remote.seq}, the journal ${w.event.hash.slice(0, 12)}… at seq ${w.event.seq}`,
            });
          else checks.push({ itemId: w.item.id, present: true });
        }
        start = end + 1;
      }
    }
    return checks;
  }

  async manifest(
    instanceId: string,
    fromSeq: number,
    toSeq: number,
    signal: AbortSignal,
  ): Promise<ManifestResponse | { failed: Outcome }> {
    const { answer, outcome } = await authorized(
      this.#ctx.session,
      signal,
      (token) =>
        this.#ctx.http.request({
          method: "GET",
          url: `${this.#base}/v1/devices/${encodeURIComponent(instanceId)}/manifest?from_seq=${fromSeq}&to_seq=${toSeq}`,
          headers: { authorization: `Bearer ${token}` },
          timeoutMs: this.#timeoutMs,
          signal,
        }),
      this.#classify,
    );
    if (!answer || outcome.kind !== "acked") return { failed: outcome };
    const checked = validateManifest(answer.json);
    if (!checked.ok) return { failed: malformedOutcome(answer, "the manifest breaks the protocol") };
    return checked.value;
  }

  /** One page of the store's orders (the import direction). */
  async storeOrders(
    cursor: string | null,
    limit: number,
    signal: AbortSignal,
  ): Promise<{ orders: StoreOrder[]; nextCursor: string | null } | { failed: Outcome }> {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    const { answer, outcome } = await authorized(
      this.#ctx.session,
      signal,
      (token) =>
        this.#ctx.http.request({
          method: "GET",
          url: `${this.#base}/v1/stores/${encodeURIComponent(this.storeId())}/orders?${query.toString()}`,
          headers: { authorization: `Bearer ${token}` },
          timeoutMs: this.#timeoutMs,
          signal,
        }),
      this.#classify,
    );
    if (!answer || outcome.kind !== "acked") return { failed: outcome };
    const checked = validateOrders(answer.json);
    if (!checked.ok) return { failed: malformedOutcome(answer, "the store orders page breaks the protocol") };
    return { orders: checked.value.orders, nextCursor: checked.value.next_cursor };
  }

  probe(signal: AbortSignal): Promise<boolean> {
    return tcpProbe(this.#base, Math.min(this.#timeoutMs, 2_000), signal);
  }
}
