/**
 * The boot slip: once per boot of the board, the receipt printer prints the board's name, its
 * addresses, a QR code to /admin and a pairing code for each kind of screen — a technician who
 * just plugged things in needs nothing else to find the board and pair screens.
 */
import { readFileSync } from "node:fs";
import { hostname, networkInterfaces } from "node:os";
import { createPairingCode } from "../commands/auth.ts";
import { iso } from "../commands/context.ts";
import { newId } from "../lib/ids.ts";
import { getJobByKey, insertJob } from "../journal/print-store.ts";
import type { BootSlipData } from "../../drivers/index.ts";
import { PAIRED_SCREENS } from "../../protocol/index.ts";
import type { PrintJobView } from "../../protocol/schemas/devices.ts";
import { numberSlipPrinter, receiptPrinter } from "./config.ts";
import { expiresAt } from "./job-policy.ts";
import type { DeviceLayer } from "./layer.ts";
import { jobView } from "./views.ts";

/** The kernel's id of this boot; a board without one (not Linux) counts each galleyd start as a boot. */
export function currentBootId(
  readBootId: () => string = () => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"),
): string {
  try {
    const id = readBootId().trim();
    if (id) return id;
  } catch {
    // not Linux: fall through
  }
  return `process-${process.pid}-${Math.round(performance.timeOrigin)}`;
}

/** The board's addresses on the store network (no loopback, no link-local IPv6). */
export function boardAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter(
      (a): a is NonNullable<typeof a> =>
        a !== undefined && !a.internal && !(a.family === "IPv6" && a.address.startsWith("fe80")),
    )
    .sort((a, b) => (a.family === b.family ? 0 : a.family === "IPv4" ? -1 : 1))
    .map((a) => a.address);
}

export interface BootSlipOptions {
  /** The port galleyd listens on (for the admin URL). */
  port: number;
  bootId?: string;
  addresses?: string[];
  boardName?: string;
  version: string;
}

/** Queues the boot slip unless this boot already has one. Returns the job, or undefined. */
export function queueBootSlip(layer: DeviceLayer, options: BootSlipOptions): PrintJobView | undefined {
  const settings = layer.devices.bootSlip;
  if (!settings.enabled) return undefined;
  const printer = receiptPrinter(layer.devices) ?? numberSlipPrinter(layer.devices) ?? layer.devices.printers[0];
  const entry = printer ? layer.printers.get(printer.id) : undefined;
  if (!printer || !entry) return undefined;
  const { ctx } = layer;
  const key = `boot_slip:${options.bootId ?? currentBootId()}`;
  if (getJobByKey(ctx.journal, key)) return undefined;

  const nowMs = ctx.clock.now();
  const addresses = options.addresses ?? boardAddresses();
  const host = addresses.find((a) => !a.includes(":")) ?? addresses[0];
  const base =
    layer.devices.statusBaseUrl ??
    (host
      ? `http://${host.includes(":") ? `[${host}]` : host}:${options.port}`
      : `http://${options.boardName ?? hostname()}.local:${options.port}`);
  const ttlSeconds = settings.pairingCodeHours * 3_600;
  const codes = PAIRED_SCREENS.map((s) => ({
    label: s.title,
    code: createPairingCode(ctx, { id: "boot-slip" }, s.access.role, `${s.title} (boot slip)`, ttlSeconds).code,
  }));
  const document: BootSlipData = {
    boardName: options.boardName ?? hostname(),
    storeName: ctx.config.store.name,
    version: options.version,
    addresses,
    adminUrl: `${base.replace(/\/$/, "")}/admin`,
    pairingCodes: codes,
    codesExpireAt: iso(nowMs + ttlSeconds * 1_000),
    bootedAt: iso(nowMs),
    timeZone: ctx.config.store.timezone,
  };
  const job = ctx.journal.transaction(() =>
    insertJob(ctx.journal, {
      id: newId(nowMs),
      key,
      kind: "boot_slip",
      orderId: null,
      orderNumber: null,
      station: null,
      revision: 1,
      printerId: printer.id,
      banner: null,
      copyOf: null,
      document,
      expiresAtMs: expiresAt("boot_slip", nowMs, layer.devices.expiry),
      at: iso(nowMs),
    }),
  );
  if (!job) return undefined;
  entry.spooler.wake();
  layer.changed();
  ctx.log.info({ printer: printer.id, addresses }, "boot slip queued");
  return jobView(job);
}
