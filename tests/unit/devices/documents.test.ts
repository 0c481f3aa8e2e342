import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  encodeDocument,
  renderKitchenTicket,
  renderReceipt,
  createPrinterSimulator,
  commandBytes,
  resolveProfile,
} from "../../../drivers/index.ts";
import { buildCatalogue } from "../../../appliance/domain/catalogue.ts";
import {
  documentContext,
  kitchenTicket,
  numberSlip,
  receiptData,
  stationsOf,
  ticketItems,
  withBanner,
} from "../../../appliance/devices/documents.ts";
import type { OrderSnapshot } from "../../../appliance/journal/order-store.ts";
import { smallMenu } from "../../fixtures/small-menu.ts";

const ctx = documentContext({
  storeName: "Harbour Grill",
  timeZone: "Europe/Berlin",
  catalogue: buildCatalogue(smallMenu()),
  statusBaseUrl: "https://grill.example",
});

const ORDER: OrderSnapshot = {
  id: "0190a0b0-0000-7000-8000-000000000042",
  ref: "ORD-20261125-ABC123",
  number: 42,
  businessDate: "2026-11-25",
  channel: "kiosk",
  lines: [
    {
      id: "0190a0b0-0000-7000-8000-0000000000a1",
      menuItemId: "burger",
      kind: "item",
      name: { en: "Burger" },
      quantity: 2,
      unitPrice: 1_000,
      total: 2_000,
      taxClass: "food",
      station: "grill",
      options: [
        { group: "doneness", option: "well", name: { en: "Well done" }, price: 0 },
        { group: "extras", option: "cheese", name: { en: "Cheese", de: "Käse" }, price: 100 },
      ],
      components: [],
      note: "no salt",
    },
    {
      id: "0190a0b0-0000-7000-8000-0000000000a2",
      menuItemId: "cola",
      kind: "item",
      name: { en: "Cola" },
      quantity: 1,
      unitPrice: 300,
      total: 300,
      taxClass: "drinks",
      station: "bar",
      options: [],
      components: [],
    },
    {
      id: "0190a0b0-0000-7000-8000-0000000000a3",
      menuItemId: "meal",
      kind: "combo",
      name: { en: "Burger meal" },
      quantity: 1,
      unitPrice: 1_350,
      total: 1_350,
      taxClass: "food",
      options: [],
      components: [
        {
          slot: "main",
          item: "burger",
          name: { en: "Burger" },
          station: "grill",
          upcharge: 0,
          options: [{ group: "doneness", option: "medium", name: { en: "Medium" }, price: 0 }],
        },
        { slot: "side", item: "fries", name: { en: "Fries" }, station: "fryer", upcharge: 0, options: [] },
        { slot: "drink", item: "shake", name: { en: "Shake" }, station: "bar", upcharge: 100, options: [] },
      ],
    },
  ],
  totals: {
    currency: "EUR",
    taxIncluded: true,
    subtotal: 3_650,
    tax: 296,
    total: 3_650,
    taxes: [
      { taxClass: "food", rateBasisPoints: 700, net: 3_131, amount: 219 },
      { taxClass: "drinks", rateBasisPoints: 1_900, net: 252, amount: 48 },
    ],
  },
  pickupName: "Anna",
  note: "Birthday",
  placedBy: { kind: "device", id: "0190a0b0-0000-7000-8000-0000000000ff", name: "Kiosk 1", role: "kiosk" },
  createdAt: "2026-11-25T11:03:00.000Z",
};

const profile = resolveProfile("epson-tm-t20");

async function paper(document: ReturnType<typeof renderReceipt>): Promise<string> {
  const simulator = createPrinterSimulator({ profile });
  await simulator.receive(commandBytes(encodeDocument(document, profile)));
  return simulator.text();
}

describe("order → kitchen tickets", () => {
  it("splits items and combo components by station, in the menu's default language", () => {
    assert.deepEqual(stationsOf(ORDER, "en"), ["grill", "bar", "fryer"]);
    const items = ticketItems(ORDER, "en");
    assert.deepEqual(
      items.map((i) => `${i.station}:${i.quantity}x${i.name}`),
      ["grill:2xBurger", "bar:1xCola", "grill:1xBurger", "fryer:1xFries", "bar:1xShake"],
    );
    const [burger, , combo] = items;
    assert.deepEqual(burger!.options, ["Well done", "Cheese"]);
    assert.equal(burger!.note, "no salt");
    assert.deepEqual(combo!.options, ["Medium", "(Burger meal)"]);
    assert.equal(combo!.key, "0190a0b0-0000-7000-8000-0000000000a3/main");
  });

  it("prints only the station's items, with the big number, the station's name and the customer's name", async () => {
    const ticket = kitchenTicket(ORDER, "grill", "new", ctx);
    assert.equal(ticket.items.length, 2);
    const text = await paper(renderKitchenTicket(ticket, profile) ?? { blocks: [] });
    assert.match(text, /GRILL/);
    assert.match(text, /#42/);
    assert.match(text, /For Anna/);
    assert.match(text, /2 x Burger/);
    assert.match(text, /NOTE: no salt/);
    assert.match(text, /ORDER NOTE: Birthday/);
    assert.doesNotMatch(text, /Cola|Fries|Shake/);
    assert.match(text, /Placed 12:03/, "printed in the store's time zone");
  });

  it("marks a cancellation and a REPRINT", async () => {
    const cancelled = await paper(
      renderKitchenTicket(kitchenTicket(ORDER, "bar", "cancelled", ctx, "2026-11-25T11:10:00.000Z"), profile) ?? {
        blocks: [],
      },
    );
    assert.match(cancelled, /CANCELLED/);
    assert.match(cancelled, /- 1 x Cola/);
    assert.match(cancelled, /- 1 x Shake/);
    const reprint = withBanner(
      "kitchen",
      kitchenTicket(ORDER, "fryer", "new", ctx),
      "REPRINT",
      "2026-11-25T11:04:00.000Z",
    );
    const text = await paper(renderKitchenTicket(reprint as never, profile) ?? { blocks: [] });
    assert.match(text, /\*\*\* REPRINT \*\*\*/);
    assert.match(text, /Printed 12:04/);
  });
});

describe("order → receipt and slip", () => {
  it("lists lines with options, taxes, payments, change and a QR code to the order's page", async () => {
    const receipt = receiptData(
      ORDER,
      [
        { method: "card", amount: 1_000, tip: 0, change: null, reference: "T-881" },
        { method: "cash", amount: 2_650, tip: 0, change: 350, reference: null },
      ],
      ctx,
    );
    assert.equal(receipt.statusUrl, "https://grill.example/kiosk?order=0190a0b0-0000-7000-8000-000000000042");
    assert.equal(receipt.changeMinor, 350);
    const text = await paper(renderReceipt(receipt, profile));
    assert.match(text, /Harbour Grill/);
    assert.match(text, /2 x Burger +€20\.00/);
    assert.match(text, /Cheese +€2\.00/, "an option's price covers the whole line");
    assert.match(text, /Shake +€1\.00/, "a combo upcharge");
    assert.match(text, /TOTAL +€36\.50/);
    assert.match(text, /incl\. Food of €31\.31 +€2\.19/);
    assert.match(text, /incl\. Drinks of €2\.52 +€0\.48/);
    assert.match(text, /Card T-881 +€10\.00/);
    assert.match(text, /Change +€3\.50/);
    assert.match(text, /\[QR M: https:\/\/grill\.example\/kiosk\?order=0190a0b0/);
    assert.match(text, /ORD-20261125-ABC123/);
  });

  it("marks a copy", async () => {
    const receipt = withBanner("receipt", receiptData(ORDER, [], ctx), "COPY", "2026-11-25T11:20:00.000Z");
    assert.match(await paper(renderReceipt(receipt as never, profile)), /COPY/);
  });

  it("prints the slip with the number and the QR, without a QR when no base URL is configured", () => {
    assert.equal(numberSlip(ORDER, ctx).orderNumber, "42");
    assert.ok(numberSlip(ORDER, ctx).statusUrl?.endsWith("?order=0190a0b0-0000-7000-8000-000000000042"));
    const plain = documentContext({ storeName: "X", timeZone: "UTC", catalogue: undefined, statusBaseUrl: undefined });
    assert.equal(numberSlip(ORDER, plain).statusUrl, undefined);
    assert.equal(receiptData(ORDER, [], plain).statusUrl, undefined);
  });
});
