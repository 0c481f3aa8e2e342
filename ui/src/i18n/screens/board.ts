/** The board's texts beside the shared ones: the board app imports this, and no other screen does. */
import { board as de } from "../de/board.ts";
import { board as en } from "../en/board.ts";
import { addMessages } from "../index.ts";

addMessages({ en, de });
