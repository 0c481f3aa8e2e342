/**
 * What can be wrong with the kiosk's cart: a line that cannot be ordered as it is (`CartProblem`,
 * from the live menu or the appliance's line availability), and a change the appliance refused
 * or never answered (`CartError`, from the API error and its `details`).
 */
import type { LocalizedText } from "../../../protocol/index.ts";
import { ApiError, CLIENT_ERRORS } from "./api.ts";
import type { LineDraft } from "./line-draft.ts";
import type { MenuCatalog } from "./menu-catalog.ts";

/** Why a line cannot be ordered right now; checkout stays closed while there is any. */
export type CartProblem =
  | { kind: "gone" }
  | { kind: "sold_out"; itemId: string }
  | { kind: "option_sold_out"; group: string; option: string }
  /** The appliance says the line cannot be sold as it is (without saying why). */
  | { kind: "unavailable" };

/** A change the appliance refused, or one that got no answer. */
export interface CartError {
  code: string;
  status: number;
  /** The dish the change was about, as the customer knows it. */
  name: LocalizedText | undefined;
  /** The item the appliance named (`details.menuItemId`: a combo's component, say). */
  itemId: string | undefined;
  /** `option_sold_out`: the option. */
  option: string | undefined;
  /** `out_of_stock`, `hold_expired`: units still there. */
  available: number | undefined;
}

export function cartErrorOf(error: unknown, name?: LocalizedText): CartError {
  const e = error instanceof ApiError ? error : new ApiError(0, CLIENT_ERRORS.network, String(error));
  const details = (typeof e.details === "object" && e.details !== null ? e.details : {}) as Record<string, unknown>;
  return {
    code: e.code,
    status: e.status,
    name,
    itemId: typeof details.menuItemId === "string" ? details.menuItemId : undefined,
    option: typeof details.option === "string" ? details.option : undefined,
    available: typeof details.available === "number" ? details.available : undefined,
  };
}

/** The appliance no longer has this cart open for us. */
export function isClosed(code: string): boolean {
  return code === "session_closed" || code === "session_not_found";
}

/**
 * What the live menu says about a line: gone from the menu, marked sold out ("86"), or an option
 * gone. Stock is not looked at: what this cart holds is already counted out of what is left.
 */
export function catalogProblem(catalog: MenuCatalog, draft: LineDraft): CartProblem | undefined {
  const product = catalog.product(draft.productId);
  if (!product) return { kind: "gone" };
  const soldOutItems = catalog.availability.soldOutItems;
  if (soldOutItems.includes(draft.productId)) return { kind: "sold_out", itemId: draft.productId };
  const component = draft.slots.map((s) => s.item).find((id) => soldOutItems.includes(id) || !catalog.item(id));
  if (component) return { kind: "sold_out", itemId: component };
  const options = draft.kind === "item" ? draft.options : draft.slots.flatMap((s) => s.options);
  const gone = options.find((o) => !catalog.isOptionAvailable(o.option));
  if (gone) return { kind: "option_sold_out", group: gone.group, option: gone.option };
  return undefined;
}
