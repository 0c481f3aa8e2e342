import { printerContract } from "./printer-contract.ts";

// A real printer, when the environment names one (serialport's TEST_PORT habit):
//   GALLEY_TEST_PRINTER=tcp://10.0.0.5:9100 GALLEY_TEST_PRINTER_PROFILE=epson-tm-t20 npm test
const uri = process.env.GALLEY_TEST_PRINTER;
const profile = process.env.GALLEY_TEST_PRINTER_PROFILE ?? "epson-tm-t20";

printerContract(
  `real printer ${uri ?? ""}`.trim(),
  uri === undefined || uri === ""
    ? {
        skip: "needs a real ESC/POS printer: set GALLEY_TEST_PRINTER=tcp://…|serial:…|usb:vvvv:pppp (and GALLEY_TEST_PRINTER_PROFILE)",
      }
    : () => Promise.resolve({ uri, options: { profile }, cleanup: () => Promise.resolve() }),
);
