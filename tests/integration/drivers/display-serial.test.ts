import { execFileSync } from "node:child_process";
import { it } from "node:test";
import { createDisplay, createPoleDisplaySimulator, startSimulatorPty } from "../../../drivers/index.ts";
import { waitFor } from "../../helpers/wait.ts";

let socat = true;
try {
  execFileSync("socat", ["-V"], { stdio: "ignore" });
} catch {
  socat = false;
}

/** Waits until `check` holds (polling every 10 ms), failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  await waitFor(check, { what, timeoutMs });
}

it(
  "pole display over a real serial port (socat PTY pair), CD5220 command set",
  { skip: socat ? false : "needs socat (apt-get install socat)" },
  async (t) => {
    const simulator = createPoleDisplaySimulator("cd5220");
    const pty = await startSimulatorPty(simulator, { baudRate: 9600 });
    t.after(() => pty.close());
    const display = createDisplay(pty.uri, { commandSet: "cd5220", throttleMs: 0 });
    t.after(() => display.stop());
    await display.start();
    await display.welcome("Welcome!", "Galley Café");
    await until("welcome shown", () => simulator.lines()[1] === "    Galley Café     ");
    await display.orderReady(42);
    await until("order ready shown", () => simulator.lines()[0] === "   Order 42 ready   ");
  },
);
