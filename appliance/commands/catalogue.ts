/** Menu import/export, sold-out ("86") toggles and stock levels. */
import { menuSemanticErrors, type Catalogue } from "../domain/catalogue.ts";
import type { PricingContext } from "../domain/pricing.ts";
import { canonicalJson, sha256Hex } from "../lib/canonical-json.ts";
import { AppError } from "../lib/errors.ts";
import { newId } from "../lib/ids.ts";
import { compileValidator } from "../lib/validate.ts";
import {
  currentMenu,
  insertMenu,
  pruneSoldOut,
  sellableStock,
  setOnHand,
  setSoldOut,
  soldOut,
} from "../journal/catalogue-store.ts";
import { appendEvent, headSeq, type JournalEvent } from "../journal/events.ts";
import type { Principal } from "../../protocol/schemas/auth.ts";
import type { Actor } from "../../protocol/schemas/orders.ts";
import { Menu, type Availability, type AvailabilityChange, type MenuResponse } from "../../protocol/schemas/menu.ts";
import { actorOf, iso, type CommandContext } from "./context.ts";

const validateMenuSchema = compileValidator(Menu);

/** Schema and semantic checks; every problem listed as `path: message`. */
export function validateMenu(document: unknown): { ok: true; menu: Menu } | { ok: false; errors: string[] } {
  const schema = validateMenuSchema(document);
  if (!schema.ok) return schema;
  const errors = menuSemanticErrors(schema.value);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, menu: schema.value };
}

/** Replaces the menu. Rejected menus write nothing. */
export function importMenu(
  ctx: CommandContext,
  actor: Actor,
  document: unknown,
): { version: number; events: JournalEvent[]; unchanged: boolean } {
  const checked = validateMenu(document);
  if (!checked.ok) {
    throw new AppError("menu_invalid", `the menu has ${checked.errors.length} error(s)`, {
      details: { errors: checked.errors },
    });
  }
  const text = canonicalJson(checked.menu);
  const hash = sha256Hex(text);
  const result = ctx.journal.transaction(() => {
    const current = currentMenu(ctx.journal);
    if (current?.hash === hash) return { version: current.version, events: [], unchanged: true };
    const at = iso(ctx.clock.now());
    const version = insertMenu(ctx.journal, text, hash, at, actor.id);
    const menu = checked.menu;
    pruneSoldOut(
      ctx.journal,
      new Set([...menu.items.map((i) => i.id), ...menu.combos.map((c) => c.id)]),
      new Set(menu.modifierGroups.flatMap((g) => g.options.map((o) => o.id))),
    );
    const event = appendEvent(ctx.journal, {
      id: newId(),
      type: "menu.imported",
      aggregateId: null,
      actor,
      payload: {
        version,
        hash,
        items: menu.items.length,
        combos: menu.combos.length,
        categories: menu.categories.length,
      },
      createdAt: at,
    });
    return { version, events: [event], unchanged: false };
  });
  ctx.catalogue.invalidate();
  return result;
}

/** The current catalogue, or `unknown_item` while no menu has been imported. */
export function requireCatalogue(ctx: CommandContext): Catalogue {
  const catalogue = ctx.catalogue.get();
  if (!catalogue) throw new AppError("unknown_item", "no menu has been loaded yet");
  return catalogue;
}

/** What pricing needs besides the catalogue: today's sold-out flags and the quantity limit. */
export function pricingContext(ctx: CommandContext, catalogue: Catalogue): PricingContext {
  const flags = soldOut(ctx.journal);
  return {
    catalogue,
    soldOutItems: flags.items,
    soldOutOptions: flags.options,
    maxQuantityPerLine: ctx.config.orders.maxQuantityPerLine,
  };
}

export function availability(ctx: CommandContext): Availability {
  const flags = soldOut(ctx.journal);
  return {
    soldOutItems: [...flags.items].sort(),
    soldOutOptions: [...flags.options].sort(),
    stock: sellableStock(ctx.journal, ctx.clock.now()),
  };
}

export function menuResponse(ctx: CommandContext): MenuResponse {
  const stored = currentMenu(ctx.journal);
  if (!stored) throw new AppError("unknown_item", "no menu has been loaded yet");
  return { seq: headSeq(ctx.journal), menu: stored.menu, availability: availability(ctx) };
}

export function setAvailability(
  ctx: CommandContext,
  principal: Principal,
  change: AvailabilityChange,
): { availability: Availability; events: JournalEvent[] } {
  const catalogue = requireCatalogue(ctx);
  const known =
    change.kind === "item"
      ? catalogue.items.has(change.id) || catalogue.combos.has(change.id)
      : catalogue.optionIds.has(change.id);
  if (!known)
    throw new AppError(change.kind === "item" ? "unknown_item" : "unknown_option", `no ${change.kind} "${change.id}"`, {
      details: { id: change.id },
    });
  const events = ctx.journal.transaction(() => {
    const at = iso(ctx.clock.now());
    if (!setSoldOut(ctx.journal, change.kind, change.id, !change.available, at)) return [];
    return [
      appendEvent(ctx.journal, {
        id: newId(),
        type: "menu.availability_changed",
        aggregateId: null,
        actor: actorOf(principal),
        payload: { ...change },
        createdAt: at,
      }),
    ];
  });
  return { availability: availability(ctx), events };
}

export function setStock(
  ctx: CommandContext,
  principal: Principal,
  itemId: string,
  units: number,
): { availability: Availability; events: JournalEvent[] } {
  const item = requireCatalogue(ctx).items.get(itemId);
  if (!item) throw new AppError("unknown_item", `no item "${itemId}"`, { details: { id: itemId } });
  if (!item.tracksStock)
    throw new AppError("validation_failed", `"${itemId}" does not track stock`, {
      details: { errors: [`${itemId}: tracksStock is not set in the menu`] },
    });
  const events = ctx.journal.transaction(() => {
    const at = iso(ctx.clock.now());
    setOnHand(ctx.journal, itemId, units, at);
    return [
      appendEvent(ctx.journal, {
        id: newId(),
        type: "stock.set",
        aggregateId: null,
        actor: actorOf(principal),
        payload: { itemId, onHand: units },
        createdAt: at,
      }),
    ];
  });
  return { availability: availability(ctx), events };
}
