/**
 * The customer's moves on the way to an order, for galley-kiosk-app: what the overlays
 * (kiosk-overlays.ts) do to the cart — opening a line for a change, committing the item page's line
 * (added, or replacing the one changed), taking a suggestion (straight in when it has no choices,
 * else onto its item page) — and the steps from the cart to checkout (through the suggestions) and
 * on to the card terminal, each only once the cart can be ordered. Kept apart from the app element,
 * which owns the state these moves change and renders it: here are only the rules for where each
 * move leads, and they touch nothing but `OrderMovesHost`.
 */
import { nothing } from "lit";
import type { KioskCheckout } from "../../controllers/kiosk-checkout.ts";
import type { CartSession } from "../../data/cart-session.ts";
import { createDraft, type LineDraft } from "../../data/line-draft.ts";
import type { MenuCatalog, MenuFilter, Product } from "../../data/menu-catalog.ts";
import { localized, type Translate } from "../../i18n/index.ts";
import type { KioskCardFlow } from "./kiosk-card-flow.ts";
import { renderOverlay, type ItemOverlay, type KioskOverlay } from "./kiosk-overlays.ts";
import type { KioskView } from "./kiosk-views.ts";

/** The part of galley-kiosk-app these moves read and change. */
export interface OrderMovesHost {
  readonly cart: CartSession;
  /** The menu with its live availability; undefined until it first loaded. */
  readonly catalog: MenuCatalog | undefined;
  readonly checkout: Pick<KioskCheckout, "submission">;
  readonly cardFlow: Pick<KioskCardFlow, "start">;
  readonly t: Translate;
  readonly language: string;
  readonly category: string;
  filter: MenuFilter;
  view: KioskView;
  overlay: KioskOverlay | undefined;
  announcement: string;
}

/** The open overlay, if any, wired to the host; `covered`: something blocks ordering above it. */
export function renderKioskOverlay(host: OrderMovesHost, covered: boolean) {
  const catalog = host.catalog;
  const overlay = host.overlay;
  if (!catalog || !overlay) return nothing;
  return renderOverlay(overlay, {
    catalog,
    language: host.language,
    filter: host.filter,
    category: host.category,
    covered,
    onOverlay: (next) => {
      host.overlay = next;
    },
    onLineCommit: (draft, item) => {
      commitLine(host, draft, item);
    },
    onFilter: (filter) => {
      host.filter = filter;
    },
    onUpsellAdd: (product) => {
      addSuggestion(host, product);
    },
    onUpsellDone: () => {
      closeToCheckout(host);
    },
  });
}

/** A cart line's item page, to change it (only for a line the appliance holds and the menu still sells). */
export function editLine(host: OrderMovesHost, key: string): void {
  const line = host.cart.line(key);
  const product = line && host.catalog?.product(line.draft.productId);
  if (!line?.line || !product) return;
  host.overlay = { kind: "item", product, draft: line.draft, key };
}

/** From the cart on to checkout, through the suggestions the first time there are any. */
export async function goToCheckout(host: OrderMovesHost): Promise<void> {
  const catalog = await orderable(host);
  if (!catalog || host.view !== "cart") return;
  const suggestions = catalog.suggestionsFor(host.cart.lines.map((l) => l.draft.productId));
  if (suggestions.length > 0 && host.checkout.submission === undefined)
    host.overlay = { kind: "upsell", products: suggestions };
  else host.view = "checkout";
}

/** A new card checkout of the cart (also "Try again": a new checkout id and order id), on the card step. */
export async function payByCard(host: OrderMovesHost): Promise<void> {
  if (!(await orderable(host))) return;
  if (host.view !== "checkout" && host.view !== "card") return;
  if (host.cardFlow.start()) host.view = "card";
}

/** The menu, once the cart can be ordered as it stands; undefined while it cannot. */
async function orderable(host: OrderMovesHost): Promise<MenuCatalog | undefined> {
  // Lines still on their way first: the appliance's answer decides whether the cart can be ordered.
  await host.cart.settled();
  const catalog = host.catalog;
  if (!catalog || host.cart.isEmpty || host.cart.problems(catalog).size > 0) return undefined;
  return catalog;
}

function commitLine(host: OrderMovesHost, draft: LineDraft, overlay: ItemOverlay): void {
  if (overlay.key) void host.cart.replace(overlay.key, draft);
  else void host.cart.add(draft);
  announceAdded(host, draft);
  if (overlay.upsell)
    afterSuggestion(
      host,
      overlay.upsell.filter((p) => p.id !== draft.productId),
    );
  else host.overlay = undefined;
}

/** A suggestion tapped: dishes with choices open their page, plain ones go straight in. */
function addSuggestion(host: OrderMovesHost, product: Product): void {
  if (!host.catalog || host.overlay?.kind !== "upsell") return;
  const remaining = host.overlay.products;
  const plain = product.kind === "item" && host.catalog.groupsOf(product.item).length === 0;
  if (!plain) {
    host.overlay = { kind: "item", product, upsell: remaining };
    return;
  }
  const draft = createDraft(host.catalog, product);
  void host.cart.add(draft);
  announceAdded(host, draft);
  afterSuggestion(
    host,
    remaining.filter((p) => p.id !== product.id),
  );
}

/** The suggestions not taken yet stay open; none left, on to checkout. */
function afterSuggestion(host: OrderMovesHost, remaining: Product[]): void {
  if (remaining.length > 0) {
    host.overlay = { kind: "upsell", products: remaining };
    return;
  }
  closeToCheckout(host);
}

function closeToCheckout(host: OrderMovesHost): void {
  host.overlay = undefined;
  host.view = "checkout";
}

function announceAdded(host: OrderMovesHost, draft: LineDraft): void {
  host.announcement = host.t("kiosk.added", {
    name: localized(draft.name, host.language, host.catalog?.languages[0]),
  });
}
