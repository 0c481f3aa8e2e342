import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  attachToMemory,
  changeFrame,
  createDisplay,
  createMemoryPair,
  createPoleDisplaySimulator,
  createPrinter,
  createPrinterSimulator,
  itemFrame,
  orderReadyFrame,
  totalFrame,
  welcomeFrame,
  type DisplayCommandSetId,
} from "../../../drivers/index.ts";

describe("pole display frames", () => {
  it("lays out two rows of 20 cells", () => {
    assert.deepEqual(welcomeFrame("Welcome!", "Galley Café"), ["      Welcome!", "    Galley Café"]);
    assert.deepEqual(itemFrame("Cheeseburger", 2, "€17.00"), ["Cheeseburger", "2 x           €17.00"]);
    assert.deepEqual(totalFrame("€43.60"), ["TOTAL", "              €43.60"]);
    assert.deepEqual(changeFrame("€50.00", "€6.40"), ["PAID          €50.00", "CHANGE         €6.40"]);
    assert.deepEqual(orderReadyFrame(42), ["   Order 42 ready", "     Thank you!"]);
  });
});

describe("pole display command sets (against the display simulator)", () => {
  for (const commandSet of ["epson", "cd5220", "logic-controls"] as DisplayCommandSetId[]) {
    it(`shows welcome, item, total, change and order ready (${commandSet})`, async (t) => {
      const simulator = createPoleDisplaySimulator(commandSet);
      const display = createDisplay("sim:", { commandSet, simulator, throttleMs: 0 });
      await display.start();
      t.after(() => display.stop());
      await display.welcome("Welcome!", "Galley Café");
      assert.deepEqual(simulator.lines(), ["      Welcome!      ", "    Galley Café     "]);
      await display.itemAdded("Crème brûlée", 1, "€6.50");
      // PC437 has è, û, é but no €: the euro sign is spelled out.
      assert.deepEqual(simulator.lines(), ["Crème brûlée        ", "1 x          EUR6.50"]);
      await display.total("€43.60");
      assert.deepEqual(simulator.lines(), ["TOTAL               ", "            EUR43.60"]);
      await display.changeDue("€50.00", "€6.40");
      assert.deepEqual(simulator.lines(), ["PAID        EUR50.00", "CHANGE       EUR6.40"]);
      await display.orderReady(42);
      assert.deepEqual(simulator.lines(), ["   Order 42 ready   ", "     Thank you!     "]);
      assert.equal(simulator.cursorVisible, false);
    });
  }

  it("drops intermediate frames when updates come faster than the throttle", async (t) => {
    const simulator = createPoleDisplaySimulator("cd5220");
    let writes = 0;
    const display = createDisplay("sim:", { commandSet: "cd5220", simulator, throttleMs: 50 });
    simulator.push = ((original) => (bytes: Uint8Array) => {
      writes++;
      original(bytes);
    })(simulator.push.bind(simulator));
    await display.start();
    t.after(() => display.stop());
    const shown = Promise.all(Array.from({ length: 10 }, (_, i) => display.show([`frame ${i}`, ""])));
    await shown;
    assert.equal(simulator.lines()[0].trim(), "frame 9");
    assert.ok(writes < 10, `only the latest frames were written (${writes} writes)`);
  });

  it("passes through the printer with ESC = 2 … ESC = 1", async (t) => {
    const poleDisplay = createPoleDisplaySimulator("epson");
    const printerSim = createPrinterSimulator({ passThroughDisplay: poleDisplay });
    const pair = createMemoryPair();
    attachToMemory(printerSim, pair.device);
    const printer = createPrinter("sim:", { transport: pair.host, pollIntervalMs: 1000 });
    await printer.start();
    t.after(() => printer.stop());
    const display = createDisplay({ passThrough: printer }, { commandSet: "epson", throttleMs: 0 });
    await display.orderReady(42);
    assert.deepEqual(poleDisplay.lines(), ["   Order 42 ready   ", "     Thank you!     "]);
    assert.equal(printerSim.text(), "", "nothing meant for the display printed on paper");
  });
});
