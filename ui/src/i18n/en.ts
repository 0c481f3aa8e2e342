/**
 * English texts of every screen, all parts together: the message keys (their type) and the
 * tests' completeness check. The screens never load this file: each loads the shared part and
 * its own (i18n/screens/<page>.ts), so the kiosk's code carries no admin text. `{name}` is
 * replaced by `t(key, { name })`; "one|other" picks a plural form by `count` (Intl.PluralRules).
 */
import { admin } from "./en/admin.ts";
import { board } from "./en/board.ts";
import { counter } from "./en/counter.ts";
import { counterCash } from "./en/counter-cash.ts";
import { kiosk } from "./en/kiosk.ts";
import { kitchen } from "./en/kitchen.ts";
import { shared } from "./en/shared.ts";

export const en = { ...shared, ...kiosk, ...kitchen, ...board, ...counter, ...counterCash, ...admin } as const;

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;
