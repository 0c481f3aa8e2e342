import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createPoleDisplaySimulator, createPrinterSimulator } from "../../../drivers/index.ts";

const bytes = (...parts: Array<number[] | string>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === "string" ? Array.from(Buffer.from(p, "latin1")) : p)));

function collect(sim: ReturnType<typeof createPrinterSimulator>): number[] {
  const replies: number[] = [];
  sim.onReply((b) => replies.push(...b));
  return replies;
}

describe("printer simulator", () => {
  it("answers DLE EOT 1–4 from its state", () => {
    const sim = createPrinterSimulator();
    const replies = collect(sim);
    void sim.receive(bytes([0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4]));
    // Drawer closed with low-is-open polarity: pin 3 HIGH (0x04).
    assert.deepEqual(replies, [0x16, 0x12, 0x12, 0x12]);
    sim.setCoverOpen(true);
    replies.length = 0;
    void sim.receive(bytes([0x10, 0x04, 1, 0x10, 0x04, 2]));
    assert.deepEqual(replies, [0x1e, 0x16]);
  });

  it("answers DLE EOT even while offline with a full buffer, and resumes printing after recovery", () => {
    const sim = createPrinterSimulator();
    const replies = collect(sim);
    sim.setPaper("end");
    void sim.receive(bytes("hello", [0x0a, 0x10, 0x04, 4]));
    assert.deepEqual(replies, [0x7e]);
    assert.equal(sim.text(), "");
    sim.setPaper("ok");
    assert.equal(sim.text(), "hello\n");
  });

  it("runs out of paper at byte N and keeps the rest of the job", () => {
    const sim = createPrinterSimulator({ faults: { paperOutAtByte: 6 } });
    void sim.receive(bytes("first", [0x0a], "second", [0x0a]));
    assert.equal(sim.state.paper, "end");
    assert.equal(sim.text(), "first\n");
    sim.setPaper("ok");
    assert.equal(sim.text(), "first\nsecond\n");
  });

  it("sends the process-ID response only after the data before it was printed", () => {
    const sim = createPrinterSimulator();
    const replies = collect(sim);
    sim.setCoverOpen(true);
    void sim.receive(bytes("job", [0x0a, 0x1d, 0x28, 0x48, 0x06, 0x00, 0x30, 0x30], "0042"));
    assert.deepEqual(replies, []);
    sim.setCoverOpen(false);
    assert.deepEqual(replies, [0x37, 0x22, 0x30, 0x30, 0x34, 0x32, 0x00]);
  });

  it("pushes ASB blocks on change once enabled, and ESC @ disables them", () => {
    const sim = createPrinterSimulator();
    const replies = collect(sim);
    void sim.receive(bytes([0x1d, 0x61, 0x0f]));
    assert.deepEqual(replies, [0x14, 0, 0, 0]);
    sim.setCoverOpen(true);
    assert.deepEqual(replies.slice(4), [0x3c, 0, 0, 0]);
    sim.setCoverOpen(false);
    assert.deepEqual(replies.slice(8), [0x14, 0, 0, 0]);
    void sim.receive(bytes([0x1b, 0x40]));
    sim.setCoverOpen(true);
    assert.equal(replies.length, 12);
  });

  it("fires the drawer on DLE DC4 1 unless GS ( D disabled it", () => {
    const sim = createPrinterSimulator();
    void sim.receive(bytes([0x10, 0x14, 0x01, 0x00, 0x01]));
    assert.deepEqual(
      sim.pulses.map((p) => [p.pin, p.realtime]),
      [[2, true]],
    );
    assert.equal(sim.state.drawerOpen, true);
    void sim.receive(bytes([0x1d, 0x28, 0x44, 0x05, 0x00, 0x14, 0x01, 0x00, 0x02, 0x00, 0x10, 0x14, 0x01, 0x01, 0x01]));
    assert.equal(sim.pulses.length, 1);
    void sim.receive(bytes([0x1b, 0x70, 0x01, 25, 250]));
    assert.deepEqual(sim.pulses.at(-1)?.pin, 5);
  });

  it("is silent as a one-way printer but still prints", () => {
    const sim = createPrinterSimulator({ faults: { oneWay: true } });
    const replies = collect(sim);
    void sim.receive(bytes("x", [0x0a, 0x10, 0x04, 0x01, 0x1d, 0x72, 0x01]));
    assert.deepEqual(replies, []);
    assert.equal(sim.text(), "x\n");
  });

  it("clears its buffer on DLE DC4 8 and answers 37 25 00", () => {
    const sim = createPrinterSimulator();
    const replies = collect(sim);
    sim.setCoverOpen(true);
    void sim.receive(bytes("lost", [0x0a, 0x10, 0x14, 0x08, 0x01, 0x03, 0x14, 0x01, 0x06, 0x02, 0x08]));
    assert.deepEqual(replies, [0x37, 0x25, 0x00]);
    sim.setCoverOpen(false);
    assert.equal(sim.text(), "");
  });

  it("routes ESC = 2 … ESC = 1 to a pass-through display", () => {
    const display = createPoleDisplaySimulator("epson");
    const sim = createPrinterSimulator({ passThroughDisplay: display });
    void sim.receive(bytes("A", [0x0a, 0x1b, 0x3d, 0x02, 0x0c], "Hello", [0x1b, 0x3d, 0x01], "B", [0x0a]));
    assert.equal(display.lines()[0], "Hello               ");
    assert.equal(sim.text(), "A\nB\n");
  });
});

describe("printer simulator as the preview", () => {
  it("reports each cut page, renderable alone to text and PNG", async () => {
    const { renderPageText, renderPagePng } = await import("../../../drivers/index.ts");
    const sim = createPrinterSimulator();
    const pages: string[] = [];
    sim.onPrinted((page) => pages.push(renderPageText(page)));
    void sim.receive(bytes("one", [0x0a, 0x1d, 0x56, 0x00], "two", [0x0a, 0x1d, 0x56, 0x01]));
    assert.deepEqual(pages, [
      "one\n         ~~~~~~~~~~~~ cut ~~~~~~~~~~~~\n",
      "two\n         ~~~~~~~~ partial cut ~~~~~~~~\n",
    ]);
    const png = renderPagePng(sim.printedPages[0]!, { dotsPerLine: 576 });
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47]);
  });
});
