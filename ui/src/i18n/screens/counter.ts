/** The counter's texts beside the shared ones: the counter app imports this, and no other screen does. */
import { counterCash as deCash } from "../de/counter-cash.ts";
import { counter as de } from "../de/counter.ts";
import { counterCash as enCash } from "../en/counter-cash.ts";
import { counter as en } from "../en/counter.ts";
import { addMessages } from "../index.ts";

addMessages({ en: { ...en, ...enCash }, de: { ...de, ...deCash } });
