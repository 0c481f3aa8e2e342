/** The admin's texts beside the shared ones: the admin app imports this, and no other screen does. */
import { admin as de } from "../de/admin.ts";
import { admin as en } from "../en/admin.ts";
import { addMessages } from "../index.ts";

addMessages({ en, de });
