import { createPrinterSimulator } from "../../../drivers/index.ts";
import { MockUsb } from "./mock-usb.ts";
import { printerContract } from "./printer-contract.ts";

printerContract("USB (mock WebUSB device)", () => {
  const simulator = createPrinterSimulator({ profile: "epson-tm-t88" });
  const usb = new MockUsb(simulator);
  return Promise.resolve({
    uri: "usb:04b8:0e15?serial=MOCK0001",
    options: { profile: "epson-tm-t88", usbBackend: usb },
    simulator,
    dropLink: () => {
      usb.unplug();
      return Promise.resolve();
    },
    restoreLink: () => {
      usb.plug();
      return Promise.resolve();
    },
    cleanup: () => Promise.resolve(),
  });
});
