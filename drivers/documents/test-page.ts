import type { MonoImage, PrintBlock, PrintDocument } from "../escpos/print-document.ts";
import type { PrinterProfile } from "../printer/profiles.ts";
import { formatDateTime, leftRight, rule } from "./layout.ts";
import type { TestPageData } from "./types.ts";

/** Samples a technician checks by eye: accents, Greek, Cyrillic and the euro sign. */
/** Each fits 32 columns (58 mm paper). */
export const TEST_PAGE_SAMPLES = [
  "Crème brûlée, Größe, Smørrebrød",
  "Ελληνικά: Καλή όρεξη",
  "Кириллица: Приятного аппетита",
  "Euro: €12.50",
] as const;

/** A checkerboard strip the width of the paper: shows dead heating elements as white lines. */
function testPattern(widthDots: number, height = 48): MonoImage {
  const pixels = new Uint8Array(widthDots * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < widthDots; x++)
      pixels[y * widthDots + x] = ((x >> 3) + (y >> 3)) % 2 === 0 || y === 0 || y === height - 1 ? 1 : 0;
  return { width: widthDots, height, pixels };
}

/** The test page: identity, profile, a column ruler, styles, code pages, a raster, a QR, a cut. */
export function renderTestPage(data: TestPageData, profile: PrinterProfile): PrintDocument {
  const width = profile.columns;
  const ruler = Array.from({ length: width }, (_, i) => String((i + 1) % 10)).join("");
  const yesNo = (b: boolean): string => (b ? "yes" : "no");
  const blocks: PrintBlock[] = [
    { type: "line", text: "TEST PAGE", align: "center", style: { bold: true, width: 2, height: 2 } },
    { type: "line", text: data.printerName, align: "center", style: { bold: true } },
    { type: "line", text: formatDateTime(data.printedAt, data), align: "center" },
    { type: "line", text: rule(width) },
    { type: "line", text: leftRight("Profile", profile.id, width) },
    ...(data.uri === undefined ? [] : [{ type: "line" as const, text: leftRight("Device", data.uri, width) }]),
    { type: "line", text: leftRight("Columns / dots", `${width} / ${profile.dotsPerLine}`, width) },
    { type: "line", text: leftRight("Status / ASB", `${yesNo(profile.bidirectional)} / ${yesNo(profile.asb)}`, width) },
    {
      type: "line",
      text: leftRight("Process ID / QR", `${yesNo(profile.supportsProcessId)} / ${yesNo(profile.supportsQr)}`, width),
    },
    { type: "line", text: rule(width) },
    { type: "line", text: ruler },
    { type: "line", text: "left" },
    { type: "line", text: "centre", align: "center" },
    { type: "line", text: "right", align: "right" },
    {
      type: "spans",
      spans: [
        { text: "bold", style: { bold: true } },
        { text: " " },
        { text: "underline", style: { underline: true } },
        { text: " " },
        { text: "inverse", style: { invert: true } },
      ],
    },
    { type: "line", text: "double", style: { width: 2, height: 2 } },
    { type: "line", text: rule(width) },
    ...TEST_PAGE_SAMPLES.map((text): PrintBlock => ({ type: "line", text })),
    { type: "line", text: rule(width) },
    { type: "image", image: testPattern(profile.dotsPerLine), align: "center" },
    { type: "qr", data: "GALLEY TEST PAGE", moduleSize: 4, align: "center" },
  ];
  if (data.pulseDrawer === true) blocks.push({ type: "pulse", pin: 2 });
  blocks.push({ type: "cut" });
  return { blocks };
}
