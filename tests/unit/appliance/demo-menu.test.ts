/**
 * The demo menu ships with the appliance and is what a fresh development install (and every
 * sales demo) shows first, so a broken reference or a missing picture must fail here, not on a
 * kiosk screen.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { validateMenu } from "../../../appliance/commands/catalogue.ts";
import { buildCatalogue } from "../../../appliance/domain/catalogue.ts";
import { priceLine, type PricingContext } from "../../../appliance/domain/pricing.ts";
import type { LocalizedText } from "../../../protocol/schemas/common.ts";
import type { Menu } from "../../../protocol/schemas/menu.ts";

/** The folder app.ts seeds from (`DEMO_MENU_DIR`); not imported so this test stays off the app's dependency graph. */
const DEMO_MENU_DIR = join(import.meta.dirname, "../../../appliance/demo-menu");
const PICTURES_DIR = join(DEMO_MENU_DIR, "pictures");
/** Hand-drawn SVGs stay small so the kiosk's attract loop loads them instantly. */
const MAX_PICTURE_BYTES = 6 * 1024;
const SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"';

function loadDemoMenu(): Menu {
  const document: unknown = JSON.parse(readFileSync(join(DEMO_MENU_DIR, "menu.json"), "utf8"));
  const result = validateMenu(document);
  assert.ok(result.ok, result.ok ? "" : `demo menu is invalid:\n${result.errors.join("\n")}`);
  return result.menu;
}

/** Every translatable text in the menu, each with a path for the failure message. */
function texts(menu: Menu): [string, LocalizedText][] {
  const found: [string, LocalizedText][] = [];
  const add = (path: string, text: LocalizedText | undefined) => {
    if (text) found.push([path, text]);
  };
  menu.taxClasses.forEach((t) => {
    add(`taxClasses.${t.id}.name`, t.name);
  });
  menu.stations.forEach((s) => {
    add(`stations.${s.id}.name`, s.name);
  });
  menu.categories.forEach((c) => {
    add(`categories.${c.id}.name`, c.name);
    add(`categories.${c.id}.description`, c.description);
  });
  menu.modifierGroups.forEach((g) => {
    add(`modifierGroups.${g.id}.name`, g.name);
    g.options.forEach((o) => {
      add(`modifierGroups.${g.id}.${o.id}.name`, o.name);
    });
  });
  menu.items.forEach((i) => {
    add(`items.${i.id}.name`, i.name);
    add(`items.${i.id}.description`, i.description);
  });
  menu.combos.forEach((c) => {
    add(`combos.${c.id}.name`, c.name);
    add(`combos.${c.id}.description`, c.description);
    c.slots.forEach((s) => {
      add(`combos.${c.id}.${s.id}.name`, s.name);
    });
  });
  return found;
}

function referencedPictures(menu: Menu): Set<string> {
  return new Set(
    [...menu.categories, ...menu.items, ...menu.combos].flatMap((entry) => (entry.picture ? [entry.picture] : [])),
  );
}

describe("demo menu", () => {
  const menu = loadDemoMenu();

  it("offers enough to order across enough categories", () => {
    const orderable = [...menu.items.filter((i) => !i.comboOnly), ...menu.combos];
    assert.ok(orderable.length >= 25, `only ${orderable.length} orderable items and combos`);
    const categories = new Set(orderable.map((entry) => entry.category));
    assert.ok(categories.size >= 5, `orderable items span only ${categories.size} categories`);
  });

  it("has every text in English and German", () => {
    assert.deepEqual(menu.languages, ["en", "de"]);
    const missing = texts(menu)
      .filter(([, text]) => !text.en?.trim() || !text.de?.trim())
      .map(([path]) => path);
    assert.deepEqual(missing, []);
  });

  it("has at least three combos, each with at least two slots", () => {
    assert.ok(menu.combos.length >= 3, `only ${menu.combos.length} combos`);
    for (const combo of menu.combos)
      assert.ok(combo.slots.length >= 2, `${combo.id} has ${combo.slots.length} slot(s)`);
  });

  it("counts stock for at least one item", () => {
    assert.ok(menu.items.some((i) => i.tracksStock === true));
  });

  it("prices every item and every combo as the kiosk first offers it", () => {
    // Defaults must satisfy each group's min, or a one-tap order would be refused; and a
    // pre-selected option that costs extra would surprise the customer at checkout.
    const ctx: PricingContext = {
      catalogue: buildCatalogue(menu),
      soldOutItems: new Set(),
      soldOutOptions: new Set(),
      maxQuantityPerLine: 20,
    };
    for (const entry of [...menu.items.filter((i) => !i.comboOnly), ...menu.combos]) {
      const line = priceLine(ctx, { menuItemId: entry.id, quantity: 1 }, "line");
      assert.equal(line.unitPrice, entry.price, `${entry.id}: the defaults add no charge`);
    }
  });

  describe("pictures", () => {
    const referenced = referencedPictures(menu);
    const onDisk = readdirSync(PICTURES_DIR);

    it("exist for every reference", () => {
      assert.ok(referenced.size > 0);
      assert.deepEqual(
        [...referenced].filter((name) => !onDisk.includes(name)),
        [],
      );
    });

    it("are all referenced by the menu", () => {
      assert.deepEqual(
        onDisk.filter((name) => !referenced.has(name)),
        [],
      );
    });

    for (const name of [...referenced].filter((n) => n.endsWith(".svg"))) {
      it(`${name} is a small, self-contained SVG`, () => {
        const path = join(PICTURES_DIR, name);
        assert.ok(statSync(path).size <= MAX_PICTURE_BYTES, `${name} is ${statSync(path).size} bytes`);
        const svg = readFileSync(path, "utf8");
        assert.ok(svg.startsWith("<svg"), "starts with <svg");
        assert.match(svg, /<svg[^>]*\sviewBox="[\d.\s-]+"/);
        assert.ok(svg.trimEnd().endsWith("</svg>"), "ends with </svg>");
        assert.doesNotMatch(svg, /<script/i);
        assert.doesNotMatch(svg, /\bon[a-z]+\s*=/i, "no event handler attributes");
        assert.doesNotMatch(svg, /<(image|use|foreignObject|style|text)\b/i, "nothing that loads or needs fonts");
        // The namespace URI is an identifier, not a fetch; anything else with a URL or href would reach out.
        const body = svg.replace(SVG_NAMESPACE, "");
        assert.doesNotMatch(body, /href\s*=/i);
        assert.doesNotMatch(body, /https?:|url\(/i);
      });
    }
  });
});
