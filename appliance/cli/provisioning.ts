/**
 * Provisioning commands used by the image's first boot (images/…/galley-provision.ts):
 *
 *   galley pin-hash [PIN]                    prints the scrypt hash of an admin PIN for
 *                                            galley-setup.json's adminPinHash (PIN from stdin if absent)
 *   galley first-admin --pin-hash-file FILE  creates the first admin with that hash, on a
 *                                            journal that has no user yet (before galleyd's first start)
 */
import { readFileSync } from "node:fs";
import { hashPin } from "../commands/pins.ts";
import { SYSTEM_ACTOR } from "../commands/context.ts";
import type { Config } from "../config/schema.ts";
import { insertUser, userCount } from "../journal/auth-store.ts";
import { Journal } from "../journal/database.ts";
import { appendEvent, initDevice } from "../journal/events.ts";
import { newId } from "../lib/ids.ts";
import { createLogger } from "../lib/logger.ts";
import { journalPath } from "../app.ts";

const PIN = /^[0-9]{4,8}$/;
const HASH = /^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/;

export async function pinHashCommand(args: readonly string[]): Promise<number> {
  const pin = (args[0] ?? readFileSync(0, "utf8")).trim();
  if (!PIN.test(pin)) {
    console.error("galley pin-hash: the PIN must be 4 to 8 digits");
    return 2;
  }
  console.log(await hashPin(pin));
  return 0;
}

export function firstAdminCommand(config: Readonly<Config>, args: readonly string[]): number {
  const at = args.indexOf("--pin-hash-file");
  const file = at >= 0 ? args[at + 1] : undefined;
  if (!file) {
    console.error("galley first-admin: --pin-hash-file FILE");
    return 2;
  }
  const pinHash = readFileSync(file, "utf8").trim();
  if (!HASH.test(pinHash)) {
    console.error("galley first-admin: not a scrypt PIN hash (make one with galley pin-hash)");
    return 2;
  }
  const journal = Journal.open({ path: journalPath(config), log: createLogger({ level: "warn" }) });
  try {
    const now = new Date().toISOString();
    initDevice(journal, newId, now);
    const created = journal.transaction(() => {
      if (userCount(journal) > 0) return false;
      const id = newId();
      // No index yet: only the hash is known; the first sign-in finds the admin by scrypt and indexes the PIN.
      insertUser(journal, {
        id,
        name: "Administrator",
        role: "admin",
        pinHash,
        pinIndex: null,
        pinIndexKey: null,
        status: "active",
        createdAt: now,
      });
      appendEvent(journal, {
        id: newId(),
        type: "user.created",
        aggregateId: id,
        actor: SYSTEM_ACTOR,
        payload: { userId: id, name: "Administrator", role: "admin" },
        createdAt: now,
      });
      return true;
    });
    console.log(
      created ? "first admin created from the setup file's PIN hash" : "the journal already has users; nothing changed",
    );
    return 0;
  } finally {
    journal.close();
  }
}
