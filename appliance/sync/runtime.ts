/** What the sync commands share while galleyd runs: targets in memory, adapters, workers, the scheduler. */
import type { CommandContext } from "../commands/context.ts";
import type { Scheduler } from "../jobs/scheduler.ts";
import type { JournalBackupDeps } from "../jobs/journal-backups.ts";
import type { Logger } from "../lib/logger.ts";
import { listTargets, type TargetRow } from "../journal/sync-target-store.ts";
import type { CentralAdapter } from "./adapters/central.ts";
import type { AuthSession } from "./auth-session.ts";
import type { BackoffPolicy } from "./backoff.ts";
import type { HttpClient } from "../lib/http-client.ts";
import type { Notifier } from "./notifications.ts";
import type { TargetRoster } from "./outbox.ts";
import { createSecretBox, type SecretBox } from "../lib/secret-box.ts";
import { loadOrCreateKey, secretKeyPath } from "../lib/secret-key.ts";
import { type Adapter } from "./types.ts";
import { TARGETS, type Target } from "../journal/outbox-types.ts";
import type { TargetWorker } from "./worker.ts";

/** The targets as the journal has them, cached; refreshed after every change to them. */
export class Roster implements TargetRoster {
  readonly #ctx: CommandContext;
  #rows = new Map<Target, TargetRow>();

  constructor(ctx: CommandContext) {
    this.#ctx = ctx;
    this.refresh();
  }

  refresh(): void {
    this.#rows = new Map(listTargets(this.#ctx.journal).map((r) => [r.target, r]));
  }

  row(target: Target): TargetRow | undefined {
    return this.#rows.get(target);
  }

  rows(): TargetRow[] {
    return TARGETS.flatMap((t) => this.#rows.get(t) ?? []);
  }

  /** Connected (active or blocked: a blocked target's items wait) with auto-sync on. */
  autoTargets(): readonly Target[] {
    return this.rows()
      .filter((r) => r.state !== "disconnected" && r.autoSync)
      .map((r) => r.target);
  }

  zohoPrefix(): string {
    return this.#ctx.config.sync.zoho.numberPrefix;
  }

  /** Settings as adapters use them: what was set over the API, over the configuration's defaults. */
  settings(target: Target): Readonly<Record<string, unknown>> {
    const stored = this.#rows.get(target)?.settings ?? {};
    if (target === "central") return { storeId: this.#ctx.config.sync.central.storeId || undefined, ...stored };
    return stored;
  }
}

/** The scheduled jobs sync adds (service.ts), by name. */
export const JOBS = {
  verify: "verify",
  cleanup: "order-backup-cleanup",
  reconcile: "reconcile",
  backup: "journal-backup",
  restoreImport: "restore-import",
} as const;
export interface SyncRuntime {
  ctx: CommandContext;
  log: Logger;
  roster: Roster;
  notifier: Notifier;
  http: HttpClient;
  adapters: Record<Target, Adapter>;
  central: CentralAdapter;
  sessions: Record<Target, AuthSession>;
  workers: Record<Target, TargetWorker>;
  scheduler: Scheduler;
  policy: BackoffPolicy;
  random: () => number;
  backups: JournalBackupDeps;
  box(): SecretBox;
  /** Something people see changed: push the sync status (throttled). */
  changed(): void;
  /** Long operations (verification, import) stop with galleyd. */
  signal: AbortSignal;
}

/** The sealing key, read or created on first use only (a store with no integration never gets one). */
export function lazySecretBox(ctx: CommandContext): () => SecretBox {
  let box: SecretBox | undefined;
  return () => {
    box ??= createSecretBox(loadOrCreateKey(secretKeyPath(ctx.config)));
    return box;
  };
}
