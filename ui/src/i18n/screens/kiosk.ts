/** The kiosk's texts beside the shared ones: the kiosk app imports this, and no other screen does. */
import { kiosk as de } from "../de/kiosk.ts";
import { kiosk as en } from "../en/kiosk.ts";
import { addMessages } from "../index.ts";

addMessages({ en, de });
