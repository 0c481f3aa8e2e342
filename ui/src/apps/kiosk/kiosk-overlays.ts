/**
 * What opens over the kiosk's current view — the item page, the menu filters, the suggestions
 * before checkout — and how each is drawn into galley-kiosk-app (the `layer` class of
 * kiosk-styles.ts). The app owns which one is open and what their events change.
 */
import { html } from "lit";
import type { GalleyDomEvent } from "../../data/fire-event.ts";
import type { LineDraft } from "../../data/line-draft.ts";
import type { MenuCatalog, MenuFilter, Product } from "../../data/menu-catalog.ts";
import "./galley-kiosk-filters.ts";
import "./galley-kiosk-item.ts";
import "./galley-kiosk-upsell.ts";

export type KioskOverlay =
  /** `key`: the cart line being changed. `upsell`: the suggestions to go back to when the item page was opened from them. */
  | { kind: "item"; product: Product; draft?: LineDraft; key?: string; upsell?: Product[] }
  | { kind: "filters" }
  | { kind: "upsell"; products: Product[] };

export type ItemOverlay = Extract<KioskOverlay, { kind: "item" }>;

export interface OverlayParts {
  catalog: MenuCatalog;
  language: string;
  filter: MenuFilter;
  category: string;
  /** Something blocks ordering above the overlay: it takes no input meanwhile. */
  covered: boolean;
  /** Open another overlay, or none. */
  onOverlay: (next: KioskOverlay | undefined) => void;
  onLineCommit: (draft: LineDraft, overlay: ItemOverlay) => void;
  onFilter: (filter: MenuFilter) => void;
  onUpsellAdd: (product: Product) => void;
  onUpsellDone: () => void;
}

/** Closing an overlay: an item page opened from the suggestions goes back to them. */
function closed(overlay: KioskOverlay): KioskOverlay | undefined {
  return overlay.kind === "item" && overlay.upsell ? { kind: "upsell", products: overlay.upsell } : undefined;
}

export function renderOverlay(overlay: KioskOverlay, parts: OverlayParts) {
  const { catalog, covered } = parts;
  const close = () => {
    parts.onOverlay(closed(overlay));
  };
  switch (overlay.kind) {
    case "item":
      return html`<galley-kiosk-item
        class="layer"
        ?inert=${covered}
        .catalog=${catalog}
        .language=${parts.language}
        .product=${overlay.product}
        .initial=${overlay.draft}
        .editing=${overlay.key !== undefined}
        @close=${close}
        @line-commit=${(e: GalleyDomEvent<"line-commit">) => {
          parts.onLineCommit(e.detail, overlay);
        }}
      ></galley-kiosk-item>`;
    case "filters":
      return html`<galley-kiosk-filters
        class="layer"
        ?inert=${covered}
        .catalog=${catalog}
        .language=${parts.language}
        .filter=${parts.filter}
        .category=${parts.category}
        @filter-change=${(e: GalleyDomEvent<"filter-change">) => {
          parts.onFilter(e.detail);
        }}
        @close=${close}
      ></galley-kiosk-filters>`;
    case "upsell":
      return html`<galley-kiosk-upsell
        class="layer"
        ?inert=${covered}
        .catalog=${catalog}
        .language=${parts.language}
        .products=${overlay.products}
        @upsell-add=${(e: GalleyDomEvent<"upsell-add">) => {
          parts.onUpsellAdd(e.detail);
        }}
        @upsell-done=${parts.onUpsellDone}
      ></galley-kiosk-upsell>`;
  }
}
