/**
 * The kiosk cart in words: a line's choices, why a line cannot be ordered, why a change was
 * refused, and the tax lines of the appliance's totals. Always friendly and localised; never a
 * raw server message.
 */
import type { TaxLine } from "../../../protocol/index.ts";
import type { CartError, CartProblem } from "../data/cart-session.ts";
import type { LineDraft } from "../data/line-draft.ts";
import type { MenuCatalog } from "../data/menu-catalog.ts";
import { errorText, localized, translator } from "./index.ts";

/** "Medium · Extra cheddar" / "Cheeseburger (Medium) · Fries · Cola" */
export function lineSummary(catalog: MenuCatalog, line: LineDraft, lang: string): string {
  const fallback = catalog.languages[0] ?? "en";
  const options = (opts: LineDraft["options"]) =>
    opts.map((o) => localized(catalog.option(o.group, o.option)?.name, lang, fallback)).filter(Boolean);
  if (line.kind === "item") return options(line.options).join(" · ");
  return line.slots
    .map((s) => {
      const name = localized(catalog.item(s.item)?.name, lang, fallback);
      const extra = options(s.options);
      return extra.length > 0 ? `${name} (${extra.join(", ")})` : name;
    })
    .join(" · ");
}

export function problemText(catalog: MenuCatalog, line: LineDraft, problem: CartProblem, lang: string): string {
  const t = translator(lang);
  const fallback = catalog.languages[0] ?? "en";
  const name = localized(line.name, lang, fallback);
  switch (problem.kind) {
    case "gone":
      return t("cart.gone", { name });
    case "sold_out":
      return t("cart.soldOut", {
        name: localized(
          catalog.item(problem.itemId)?.name ?? catalog.combo(problem.itemId)?.name ?? line.name,
          lang,
          fallback,
        ),
      });
    case "option_sold_out":
      return t("cart.optionSoldOut", {
        option: localized(catalog.option(problem.group, problem.option)?.name, lang, fallback),
        name,
      });
    case "unavailable":
      return t("cart.unavailable", { name });
  }
}

/** Why the appliance refused a change to the cart (or a checkout), naming the dish. */
export function cartErrorText(catalog: MenuCatalog, error: CartError, lang: string): string {
  const t = translator(lang);
  const fallback = catalog.languages[0] ?? "en";
  const named = error.itemId ? (catalog.item(error.itemId)?.name ?? catalog.combo(error.itemId)?.name) : undefined;
  const name = localized(named ?? error.name, lang, fallback);
  switch (error.code) {
    case "out_of_stock":
      if (!name) break;
      return error.available
        ? t("cartError.outOfStock", { count: error.available, name })
        : t("cartError.soldOut", { name });
    case "hold_expired":
      if (!name) break;
      return error.available
        ? t("cartError.holdExpired", { count: error.available, name })
        : t("cartError.soldOut", { name });
    case "item_sold_out":
      if (!name) break;
      return t("cartError.soldOut", { name });
    case "option_sold_out": {
      const option = error.option
        ? localized(
            catalog.menu.modifierGroups.flatMap((g) => g.options).find((o) => o.id === error.option)?.name,
            lang,
            fallback,
          )
        : "";
      if (!name || !option) break;
      return t("cartError.optionSoldOut", { option, name });
    }
    case "session_closed":
    case "session_not_found":
      return t("cartError.sessionClosed");
  }
  return errorText(t, error.code);
}

/** "Food (take-away) 7 %" from the menu's tax classes, or "Tax 7 %". */
export function taxLabel(catalog: MenuCatalog, tax: TaxLine, lang: string): string {
  const taxClass = catalog.menu.taxClasses.find((c) => c.id === tax.taxClass);
  if (taxClass) return localized(taxClass.name, lang, catalog.languages[0] ?? "en");
  const rate = new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 2 }).format(
    tax.rateBasisPoints / 10_000,
  );
  return translator(lang)("cart.tax", { rate });
}
