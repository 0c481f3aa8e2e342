/**
 * What every adapter is built from, the one "call with auth, refresh once on 401" helper, and the
 * results the single-record adapters (Square, Zoho) share for a failed send or token refresh.
 */
import type { Config } from "../../config/schema.ts";
import type { Clock } from "../../lib/clock.ts";
import type { Logger } from "../../lib/logger.ts";
import type { Journal } from "../../journal/database.ts";
import { isEvent, type EventType, type JournalEvent } from "../../journal/events.ts";
import type { AuthSession } from "../auth-session.ts";
import { malformedOutcome, networkOutcome } from "../classify.ts";
import type { HttpClient, HttpResult } from "../../lib/http-client.ts";
import type { Outcome, SendResult, WorkItem } from "../types.ts";

export interface AdapterContext {
  journal: Journal;
  config: Readonly<Config>;
  clock: Clock;
  log: Logger;
  http: HttpClient;
  session: AuthSession;
  /** The target's effective settings (config defaults overlaid with what was set over the API). */
  settings(): Readonly<Record<string, unknown>>;
}

export type Answered = Extract<HttpResult, { ok: true }>;
type Failed = Extract<HttpResult, { ok: false }>;

/**
 * The work item's event, which must be of `type`: the outbox pairs each operation with the event
 * it was made for (outbox.ts), so any other type is a bug there, reported as one instead of
 * reading the wrong payload.
 */
export function eventOf<K extends EventType>(work: WorkItem, type: K): JournalEvent<K> {
  if (isEvent(work.event, type)) return work.event;
  throw new Error(
    `sync: ${work.item.target} item ${work.item.id} (${work.item.operation}) carries event ${work.event.seq} of type ${work.event.type}, expected ${type}`,
  );
}

/**
 * Makes a request with the current access token; on a 401 refreshes once (single-flight) and
 * repeats it once. Returns the answer with its classification, or only an outcome when there was
 * no usable answer (network failure, no token, refresh refused).
 */
export async function authorized(
  session: AuthSession,
  signal: AbortSignal,
  make: (token: string) => Promise<HttpResult>,
  classify: (answer: Answered) => Outcome,
): Promise<{ answer?: Answered; outcome: Outcome }> {
  const token = await session.accessToken(signal);
  if (typeof token !== "string") return { outcome: token };
  const first = await make(token);
  if (!first.ok) return { outcome: networkOutcome(first) };
  const outcome = classify(first);
  if (outcome.kind !== "auth") return { answer: first, outcome };
  const refreshed = await session.refresh(token, signal);
  if (refreshed !== true)
    return {
      outcome:
        refreshed.kind === "auth" ? { kind: "blocked", code: refreshed.code, detail: refreshed.detail } : refreshed,
    };
  const again = await session.accessToken(signal);
  if (typeof again !== "string") return { outcome: again };
  const second = await make(again);
  if (!second.ok) return { outcome: networkOutcome(second) };
  const retried = classify(second);
  if (retried.kind === "auth")
    return {
      answer: second,
      outcome: {
        kind: "blocked",
        status: retried.status,
        code: retried.code,
        detail: `refused again after a token refresh: ${retried.detail}`,
      },
    };
  return { answer: second, outcome: retried };
}

/** A send that was not acknowledged: its outcome, with the HTTP status when there was an answer. */
export function unackedSend(answer: Answered | undefined, outcome: Outcome, durationMs: number): SendResult {
  const status = answer?.status;
  return { outcomes: [outcome], durationMs, ...(status !== undefined ? { status } : {}) };
}

/** An acknowledged send whose answer lacks the record it should carry (`why`): it may have been applied. */
export function malformedSend(answer: Answered, why: string, durationMs: number): SendResult {
  return { outcomes: [malformedOutcome(answer, why)], durationMs, status: answer.status };
}

/** A token refresh that got no answer: transient, retried later. */
export function refreshUnanswered(result: Failed): { ok: false; outcome: Outcome } {
  return {
    ok: false,
    outcome: {
      kind: "transient",
      unknown: false,
      network: result.failure === "connect",
      code: result.code,
      detail: result.detail,
    },
  };
}

/** A token refresh the provider refused: blocked until the integration is connected again. */
export function refreshRefused(provider: string, status: number, code: string): { ok: false; outcome: Outcome } {
  return {
    ok: false,
    outcome: {
      kind: "blocked",
      status,
      code,
      detail: `${provider} refused the token refresh (${code}); connect the integration again`,
    },
  };
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** A localized name in the first language that has one (menus name items per language). */
export function plainName(name: unknown): string {
  if (typeof name === "string") return name;
  if (name && typeof name === "object") {
    const record = name as Record<string, unknown>;
    const value = record.en ?? Object.values(record)[0];
    if (typeof value === "string") return value;
  }
  return "item";
}
