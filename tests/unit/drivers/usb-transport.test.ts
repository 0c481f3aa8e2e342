import assert from "node:assert/strict";
import { it } from "node:test";
import { createPrinterSimulator, DriverError } from "../../../drivers/index.ts";
import { createUsbTransport } from "../../../drivers/transport/usb.ts";
import { MockUsb } from "../../integration/drivers/mock-usb.ts";
import { waitFor } from "../../helpers/wait.ts";

const address = { scheme: "usb" as const, vendorId: 0x04b8, productId: 0x0e15 };

it("USB: picks the device by vendor, product and serial; detaches usblp and claims the printer interface", async () => {
  const usb = new MockUsb(createPrinterSimulator());
  const wrongSerial = createUsbTransport({ ...address, serialNumber: "OTHER", backend: usb });
  await assert.rejects(wrongSerial.open(), (e: unknown) => e instanceof DriverError && e.code === "device_not_found");
  const wrongIds = createUsbTransport({ ...address, productId: 0x0202, backend: usb });
  await assert.rejects(wrongIds.open(), (e: unknown) => e instanceof DriverError && e.code === "device_not_found");

  const transport = createUsbTransport({ ...address, serialNumber: "MOCK0001", backend: usb, readPollMs: 20 });
  await transport.open();
  assert.ok(usb.device.detached.has(0), "kernel driver detached first (else LIBUSB_ERROR_BUSY)");
  assert.ok(usb.device.claimed.has(0));
  assert.equal(transport.bidirectional, true);
  const replies: number[] = [];
  transport.onData((bytes) => replies.push(...bytes));
  await transport.write(Uint8Array.of(0x10, 0x04, 0x01));
  await waitFor(() => replies.length > 0, { what: "the printer's status reply", timeoutMs: 3_000 });
  assert.deepEqual(replies, [0x16]);

  const closed: Array<Error | undefined> = [];
  transport.onClose((reason) => closed.push(reason));
  usb.unplug();
  await waitFor(() => closed.length > 0, { what: "the unplug to close the transport", timeoutMs: 3_000 });
  assert.ok(closed[0] instanceof DriverError, "an unplug closes the transport with a reason");
  assert.equal(transport.isOpen, false);
  assert.equal(usb.listenerCount, 0, "no listener left on the usb object");
});
