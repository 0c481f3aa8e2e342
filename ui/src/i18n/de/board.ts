/** German texts of the pickup board: every key of en/board.ts (the type makes a missing one a compile error). */
import type { board as en } from "../en/board.ts";

export const board: Readonly<Record<keyof typeof en, string>> = {
  "board.preparing": "In Zubereitung",
  "board.ready": "Abholbereit",
  "board.collect": "Bitte holen Sie Ihre Bestellung ab, sobald Ihre Nummer unter Abholbereit steht.",
  "board.readyNow": "Bestellung {number} ist abholbereit",
};
