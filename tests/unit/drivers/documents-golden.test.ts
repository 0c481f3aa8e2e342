import { describe, it } from "node:test";
import {
  annotateCommands,
  createPrinterSimulator,
  commandBytes,
  encodeDocument,
  renderKitchenTicket,
  renderNumberSlip,
  renderReceipt,
  renderTestPage,
  resolveProfile,
  type PrintDocument,
} from "../../../drivers/index.ts";
import {
  SAMPLE_RECEIPT,
  SAMPLE_SLIP,
  SAMPLE_TEST_PAGE,
  SAMPLE_TICKET_CANCELLED,
  SAMPLE_TICKET_CHANGED,
  SAMPLE_TICKET_NEW,
  SAMPLE_TICKET_REPRINT,
} from "../../fixtures/escpos/sample-documents.ts";
import { assertGolden } from "./golden.ts";

const fixtures = new URL("../../fixtures/escpos/", import.meta.url);

function must(document: PrintDocument | null): PrintDocument {
  if (document === null) throw new Error("renderer printed nothing");
  return document;
}

const cases: Array<{ name: string; profile: string; render: (p: ReturnType<typeof resolveProfile>) => PrintDocument }> =
  [
    { name: "receipt-80mm-48col", profile: "epson-tm-t20", render: (p) => renderReceipt(SAMPLE_RECEIPT, p) },
    { name: "receipt-80mm-42col", profile: "epson-tm-t88", render: (p) => renderReceipt(SAMPLE_RECEIPT, p) },
    {
      name: "receipt-58mm-32col",
      profile: "generic-58",
      render: (p) => renderReceipt({ ...SAMPLE_RECEIPT, logo: undefined }, p),
    },
    {
      name: "receipt-copy",
      profile: "epson-tm-t20",
      render: (p) => renderReceipt({ ...SAMPLE_RECEIPT, copyBanner: "COPY", logo: undefined }, p),
    },
    {
      name: "kitchen-new-grill",
      profile: "generic-80",
      render: (p) => must(renderKitchenTicket(SAMPLE_TICKET_NEW, p)),
    },
    {
      name: "kitchen-changed-grill",
      profile: "generic-80",
      render: (p) => must(renderKitchenTicket(SAMPLE_TICKET_CHANGED, p)),
    },
    {
      name: "kitchen-cancelled-grill",
      profile: "generic-80",
      render: (p) => must(renderKitchenTicket(SAMPLE_TICKET_CANCELLED, p)),
    },
    {
      name: "kitchen-reprint-grill",
      profile: "generic-80",
      render: (p) => must(renderKitchenTicket(SAMPLE_TICKET_REPRINT, p)),
    },
    { name: "number-slip-58mm", profile: "generic-58", render: (p) => renderNumberSlip(SAMPLE_SLIP, p) },
    { name: "test-page-80mm", profile: "epson-tm-t20", render: (p) => renderTestPage(SAMPLE_TEST_PAGE, p) },
  ];

describe("golden ESC/POS output (annotated hex + simulator text)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const profile = resolveProfile(c.profile);
      const commands = encodeDocument(c.render(profile), profile);
      assertGolden(new URL(`${c.name}.hex.txt`, fixtures), annotateCommands(commands, profile.codePages));
      const sim = createPrinterSimulator({ profile });
      void sim.receive(commandBytes(commands));
      assertGolden(new URL(`${c.name}.txt`, fixtures), sim.text({ annotate: true }));
    });
  }
});
