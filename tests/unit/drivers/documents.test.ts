import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeQR } from "@paulmillr/qr/decode.js";
import { PNG } from "pngjs";
import {
  commandBytes,
  createPrinterSimulator,
  diffTicketItems,
  encodeDocument,
  renderKitchenTicket,
  renderNumberSlip,
  renderReceipt,
  resolveProfile,
  type PrintDocument,
} from "../../../drivers/index.ts";
import {
  SAMPLE_RECEIPT,
  SAMPLE_SLIP,
  SAMPLE_TICKET_CANCELLED,
  SAMPLE_TICKET_CHANGED,
  SAMPLE_TICKET_NEW,
  SAMPLE_TICKET_REPRINT,
} from "../../fixtures/escpos/sample-documents.ts";

function print(document: PrintDocument | null, profileId: string) {
  assert.ok(document !== null, "the renderer printed something");
  const profile = resolveProfile(profileId);
  const sim = createPrinterSimulator({ profile });
  void sim.receive(commandBytes(encodeDocument(document, profile)));
  return sim;
}

function qrFromPng(png: Uint8Array): string {
  const image = PNG.sync.read(Buffer.from(png));
  return decodeQR({ width: image.width, height: image.height, data: image.data });
}

describe("customer receipt", () => {
  for (const [profileId, width] of [
    ["epson-tm-t20", 48],
    ["epson-tm-t88", 42],
    ["generic-58", 32],
  ] as const) {
    it(`right-aligns every price at column ${width} and fits the paper (${profileId})`, () => {
      const sim = print(renderReceipt(SAMPLE_RECEIPT, resolveProfile(profileId)), profileId);
      const lines = sim.text().split("\n");
      const priced = lines.filter((l) => /€\d+\.\d\d$/.test(l) && !l.includes(" @ "));
      assert.ok(priced.length >= 12, "items, totals, taxes and payments carry prices");
      for (const line of priced) assert.equal(Array.from(line).length, width, `"${line}"`);
      for (const line of lines) assert.ok(Array.from(line).length <= width, `"${line}" fits`);
      assert.match(sim.text(), /Crème brûlée/);
      assert.match(sim.text(), /Ελληνική σαλάτα/);
      assert.match(sim.text(), /Борщ/);
      assert.match(sim.text(), /^ {4}\+ Extra cheese +€2\.00$/m);
    });
  }

  it("prints the order number double size and a QR that decodes to the status URL", () => {
    const sim = print(renderReceipt(SAMPLE_RECEIPT, resolveProfile("epson-tm-t20")), "epson-tm-t20");
    const number = sim.printedPages[0]?.items.find((i) => i.kind === "text" && i.runs.some((r) => r.text === "42"));
    assert.ok(number?.kind === "text" && number.runs.some((r) => r.text === "42" && r.width === 2 && r.height === 2));
    assert.equal(qrFromPng(sim.png()), SAMPLE_RECEIPT.statusUrl);
  });

  it("marks a reprint with the COPY banner", () => {
    const sim = print(
      renderReceipt({ ...SAMPLE_RECEIPT, copyBanner: "COPY" }, resolveProfile("generic-80")),
      "generic-80",
    );
    assert.match(sim.text().split("\n")[0] ?? "", /COPY/);
  });
});

describe("kitchen ticket", () => {
  it("shows only the station's items, big number, notes in inverse", () => {
    const sim = print(renderKitchenTicket(SAMPLE_TICKET_NEW, { columns: 48 }), "generic-80");
    const text = sim.text({ annotate: true });
    assert.match(text, /GRILL/);
    assert.match(text, /#42 .*«3x3 bold»/);
    assert.match(text, /2 x Cheeseburger/);
    assert.match(text, /1 x Veggie burger/);
    assert.doesNotMatch(text, /Fries|Crème brûlée/);
    assert.match(text, /NOTE: Allergy: sesame .*inverse/);
    assert.match(text, /Placed 14:03/);
  });

  it("prints only the difference for a changed order", () => {
    const text = print(renderKitchenTicket(SAMPLE_TICKET_CHANGED, { columns: 48 }), "generic-80").text();
    assert.match(text, /CHANGED/);
    assert.match(text, /^\+ 1 x Cheeseburger$/m);
    assert.match(text, /^\+ 1 x Chicken wrap$/m);
    assert.match(text, /^- 1 x Veggie burger$/m);
    assert.doesNotMatch(text, /2 x Cheeseburger|3 x Cheeseburger/);
  });

  it("prints CANCELLED with every item struck out, and REPRINT when asked", () => {
    const cancelled = print(renderKitchenTicket(SAMPLE_TICKET_CANCELLED, { columns: 48 }), "generic-80").text();
    assert.match(cancelled, /CANCELLED/);
    assert.match(cancelled, /^- 2 x Cheeseburger$/m);
    const reprint = print(renderKitchenTicket(SAMPLE_TICKET_REPRINT, { columns: 48 }), "generic-80").text();
    assert.match(reprint.split("\n")[0] ?? "", /\*\*\* REPRINT \*\*\*/);
  });

  it("prints nothing for a station the change does not touch", () => {
    assert.equal(renderKitchenTicket({ ...SAMPLE_TICKET_CHANGED, station: "dessert" }, { columns: 48 }), null);
  });

  it("diffs by line key: quantities, recipes, additions and removals", () => {
    const a = { key: "a", quantity: 2, name: "Burger", station: "grill" };
    const changes = diffTicketItems(
      [a, { key: "b", quantity: 1, name: "Wrap", station: "grill" }],
      [
        { ...a, quantity: 1 },
        { key: "b", quantity: 1, name: "Wrap", station: "grill", options: ["+ Spicy"] },
        { key: "c", quantity: 1, name: "Salad", station: "grill" },
      ],
    );
    assert.deepEqual(
      changes.map((c) => `${c.sign}${c.quantity} ${c.item.name}${(c.item.options ?? []).join("")}`),
      ["-1 Burger", "-1 Wrap", "+1 Wrap+ Spicy", "+1 Salad"],
    );
  });
});

describe("number slip", () => {
  it("prints the number as large as the 58 mm paper allows, with a working QR", () => {
    const sim = print(renderNumberSlip(SAMPLE_SLIP, { columns: 32 }), "generic-58");
    const text = sim.text({ annotate: true });
    assert.match(text, /Your order number/);
    assert.match(text, /42 +«4x4 bold»/);
    assert.equal(qrFromPng(sim.png()), SAMPLE_SLIP.statusUrl);
  });
});
