/** German texts of every screen, all parts together; every key of en.ts (the type makes a missing one a compile error). */
import { admin } from "./de/admin.ts";
import { board } from "./de/board.ts";
import { counter } from "./de/counter.ts";
import { counterCash } from "./de/counter-cash.ts";
import { kiosk } from "./de/kiosk.ts";
import { kitchen } from "./de/kitchen.ts";
import { shared } from "./de/shared.ts";
import type { Messages } from "./en.ts";

export const de: Messages = { ...shared, ...kiosk, ...kitchen, ...board, ...counter, ...counterCash, ...admin };
