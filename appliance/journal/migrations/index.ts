import * as m0001 from "./0001-initial.ts";
import * as m0002 from "./0002-payments.ts";
import * as m0003 from "./0003-devices.ts";
import * as m0004 from "./0004-sync.ts";
import * as m0005 from "./0005-pin-index.ts";
import * as m0006 from "./0006-card-payments.ts";
import * as m0007 from "./0007-cash-and-attendance.ts";

/**
 * Numbered migrations, applied in order at start, each in its own transaction. Never edit a
 * migration that has shipped: add the next number. A migration must leave the journal readable by
 * the previous release (add columns and tables; do not drop or rename), so a rollback of the app
 * can still open it.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "initial", sql: m0001.sql },
  { version: 2, name: "payments", sql: m0002.sql },
  { version: 3, name: "devices", sql: m0003.sql },
  { version: 4, name: "sync", sql: m0004.sql },
  { version: 5, name: "pin-index", sql: m0005.sql },
  { version: 6, name: "card-payments", sql: m0006.sql },
  { version: 7, name: "cash-and-attendance", sql: m0007.sql },
];
