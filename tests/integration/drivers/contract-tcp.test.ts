import { createPrinterSimulator, startSimulatorServer } from "../../../drivers/index.ts";
import { printerContract } from "./printer-contract.ts";

for (const profile of ["epson-tm-t20", "generic-58"]) {
  printerContract(`TCP simulator (${profile})`, async () => {
    const simulator = createPrinterSimulator({ profile });
    const server = await startSimulatorServer(simulator);
    return {
      uri: server.uri,
      options: { profile },
      simulator,
      dropLink: () => {
        server.dropClients();
        return Promise.resolve();
      },
      restoreLink: () => Promise.resolve(),
      cleanup: () => server.close(),
    };
  });
}
