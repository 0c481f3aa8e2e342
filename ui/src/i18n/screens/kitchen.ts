/** The kitchen's texts beside the shared ones: the kitchen app imports this, and no other screen does. */
import { kitchen as de } from "../de/kitchen.ts";
import { kitchen as en } from "../en/kitchen.ts";
import { addMessages } from "../index.ts";

addMessages({ en, de });
