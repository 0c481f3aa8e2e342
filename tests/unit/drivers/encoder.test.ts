import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { decodeQR } from "@paulmillr/qr/decode.js";
import { PNG } from "pngjs";
import {
  commandBytes,
  createPrinterSimulator,
  encodeDocument,
  resolveProfile,
  type EncodedCommand,
} from "../../../drivers/index.ts";
import { chunkCommands } from "../../../drivers/printer/chunks.ts";
import { splitCommands } from "../../../drivers/escpos/encoder.ts";
import { tokenize } from "../../../drivers/escpos/tokenizer.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

describe("encoder port", () => {
  const profile = resolveProfile("epson-tm-t20");

  it("prints accented Latin, Greek and Cyrillic through the printer's code pages", () => {
    const text = "Crème brûlée Größe Ελληνικά Кириллица €";
    const commands = encodeDocument({ blocks: [{ type: "line", text }] }, profile);
    const bytes = hex(commandBytes(commands));
    // ESC t 0 (PC437): "Cr" 8a(è) "me br" 96(û) "l" 82(é) "e Gr" 94(ö) e1(ß) "e"
    assert.match(bytes, /1b740043728a6d65206272966c826520477294e165/);
    // ESC t 14 (PC737, Greek): Ε λ λ η ν ι κ ά
    assert.match(bytes, /1b740e84a2a29ea4a0a1e1/);
    // ESC t 17 (PC866, Cyrillic): К и р и л л и ц а
    assert.match(bytes, /1b74118aa8e0a8ababa8e6a0/);
    // ESC t 19 (PC858): € is d5
    assert.match(bytes, /1b7413d5/);
    const sim = createPrinterSimulator({ profile });
    void sim.receive(commandBytes(commands));
    assert.equal(sim.text().trim(), text);
    assert.deepEqual(sim.unknownCodePages, []);
  });

  it("splits output into whole commands that tokenize back to themselves", () => {
    const commands = encodeDocument(
      {
        blocks: [
          { type: "line", text: "x", style: { bold: true } },
          { type: "qr", data: "https://a.b/c" },
          { type: "cut" },
        ],
      },
      profile,
    );
    for (const command of commands) {
      const tokens = tokenize(command.bytes);
      assert.equal(tokens.length, 1, `${command.name} is one command`);
      assert.equal(tokens[0]?.length, command.bytes.length);
    }
    assert.ok(commands.some((c) => c.name === "GS ( k"));
  });

  it("wraps raster data in GS ( D where supported and keeps chunks from splitting inside", () => {
    const image = { width: 16, height: 8, pixels: new Uint8Array(128) };
    // Row bytes 0x10 0x14 0x01 … would fire the drawer: pixels spelling DLE DC4 fn 1.
    image.pixels.set([0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0], 0);
    const commands = encodeDocument({ blocks: [{ type: "image", image }] }, profile);
    const at = commands.findIndex((c) => c.name === "GS v 0");
    assert.equal(hex(commands[at - 1]?.bytes ?? new Uint8Array()), "1d284405001401000200");
    assert.equal(hex(commands[at + 1]?.bytes ?? new Uint8Array()), "1d284405001401010201");
    assert.equal(commands[at - 1]?.realtimeSafe, false);
    assert.equal(commands[at]?.realtimeSafe, false);
    for (const chunk of chunkCommands(commands, 4)) {
      const tail = hex(chunk).slice(-20);
      assert.notEqual(tail, "1d284405001401000200", "a chunk never ends right after the disable");
    }
  });

  it("nudges real-time look-alikes out of image data when GS ( D is not available", () => {
    const raster = Uint8Array.of(0x1d, 0x76, 0x30, 0x00, 0x04, 0x00, 0x01, 0x00, 0x10, 0x14, 0x10, 0x04);
    const [command] = splitCommands(raster, { supportsRealtimeDisable: false });
    assert.equal(hex(command?.bytes ?? new Uint8Array()), "1d76300004000100" + "00140004");
  });

  it("sends a raster QR that decodes to the URL on printers without native QR", () => {
    const small = resolveProfile("generic-58");
    const url = "https://galley.example/o/6f1c2a9e";
    const commands = encodeDocument({ blocks: [{ type: "qr", data: url, moduleSize: 4 }] }, small);
    assert.ok(!commands.some((c: EncodedCommand) => c.name === "GS ( k"));
    assert.ok(commands.some((c) => c.name === "GS v 0"));
    const sim = createPrinterSimulator({ profile: small });
    void sim.receive(commandBytes(commands));
    const png = PNG.sync.read(Buffer.from(sim.png()));
    assert.equal(decodeQR({ width: png.width, height: png.height, data: png.data }), url);
  });

  it("chunks on command boundaries near the requested size", () => {
    const commands = encodeDocument(
      {
        blocks: Array.from({ length: 50 }, (_, i) => ({ type: "line" as const, text: `line ${i} ${"x".repeat(30)}` })),
      },
      profile,
    );
    const chunks = chunkCommands(commands, 256);
    assert.ok(chunks.length > 5);
    assert.equal(hex(Buffer.concat(chunks)), hex(commandBytes(commands)));
    for (const chunk of chunks) assert.ok(chunk.length <= 256 + 64);
  });
});
