import { execFileSync } from "node:child_process";
import { createPrinterSimulator, startSimulatorPty } from "../../../drivers/index.ts";
import { printerContract } from "./printer-contract.ts";

function hasSocat(): boolean {
  try {
    execFileSync("socat", ["-V"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

printerContract(
  "serial over a socat PTY pair",
  hasSocat()
    ? async () => {
        const simulator = createPrinterSimulator({ profile: "generic-80" });
        const pty = await startSimulatorPty(simulator, { baudRate: 38400 });
        return { uri: pty.uri, options: { profile: "generic-80" }, simulator, cleanup: () => pty.close() };
      }
    : { skip: "needs socat (apt-get install socat)" },
);
