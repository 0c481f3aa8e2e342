import type { PrinterSimulator, UsbBackend, UsbDeviceLike } from "../../../drivers/index.ts";

type Listener = (event: { device: UsbDeviceLike }) => void;

/**
 * A mock of the `usb` package's WebUSB API (the parts the USB transport uses): one printer-class
 * device whose bulk OUT feeds a PrinterSimulator and whose bulk IN returns the simulator's answers.
 * Bulk IN without data waits up to the timeout, then fails like libusb does ("timed out").
 */
export class MockUsb implements UsbBackend {
  readonly device: MockUsbDevice;
  #listeners = { connect: new Set<Listener>(), disconnect: new Set<Listener>() };
  #present = true;

  constructor(simulator: PrinterSimulator, ids = { vendorId: 0x04b8, productId: 0x0e15, serialNumber: "MOCK0001" }) {
    this.device = new MockUsbDevice(simulator, ids);
  }

  getDevices(): Promise<UsbDeviceLike[]> {
    return Promise.resolve(this.#present ? [this.device] : []);
  }
  addEventListener(type: "connect" | "disconnect", listener: Listener): void {
    this.#listeners[type].add(listener);
  }
  removeEventListener(type: "connect" | "disconnect", listener: Listener): void {
    this.#listeners[type].delete(listener);
  }
  /** Pulls the cable. */
  unplug(): void {
    this.#present = false;
    this.device.unplugged = true;
    for (const l of this.#listeners.disconnect) l({ device: this.device });
  }
  /** Plugs it back in. */
  plug(): void {
    this.#present = true;
    this.device.unplugged = false;
    this.device.opened = false;
    for (const l of this.#listeners.connect) l({ device: this.device });
  }
  get listenerCount(): number {
    return this.#listeners.connect.size + this.#listeners.disconnect.size;
  }
}

export class MockUsbDevice implements UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber: string;
  opened = false;
  unplugged = false;
  claimed = new Set<number>();
  detached = new Set<number>();
  readonly configuration = {
    configurationValue: 1,
    interfaces: [
      {
        interfaceNumber: 0,
        alternate: {
          interfaceClass: 7,
          endpoints: [
            { endpointNumber: 1, direction: "out" as const, type: "bulk" as const, packetSize: 64 },
            { endpointNumber: 2, direction: "in" as const, type: "bulk" as const, packetSize: 64 },
          ],
        },
      },
    ],
  };
  #inbox: number[] = [];
  #waiting: (() => void) | undefined;
  readonly #simulator: PrinterSimulator;

  constructor(simulator: PrinterSimulator, ids: { vendorId: number; productId: number; serialNumber: string }) {
    this.vendorId = ids.vendorId;
    this.productId = ids.productId;
    this.serialNumber = ids.serialNumber;
    this.#simulator = simulator;
    simulator.onReply((bytes) => {
      this.#inbox.push(...bytes);
      this.#waiting?.();
    });
  }

  // Read through a call: replies arrive while transferIn awaits.
  #isEmpty(): boolean {
    return this.#inbox.length === 0;
  }
  #check(): void {
    if (this.unplugged) throw new Error("LIBUSB_ERROR_NO_DEVICE");
  }
  open(): Promise<void> {
    this.#check();
    this.opened = true;
    return Promise.resolve();
  }
  close(): Promise<void> {
    this.opened = false;
    this.claimed.clear();
    return Promise.resolve();
  }
  selectConfiguration(): Promise<void> {
    return Promise.resolve();
  }
  detachKernelDriver(interfaceNumber: number): Promise<void> {
    this.detached.add(interfaceNumber);
    return Promise.resolve();
  }
  claimInterface(interfaceNumber: number): Promise<void> {
    this.#check();
    this.claimed.add(interfaceNumber);
    return Promise.resolve();
  }
  releaseInterface(interfaceNumber: number): Promise<void> {
    this.claimed.delete(interfaceNumber);
    return Promise.resolve();
  }
  async transferOut(endpointNumber: number, data: Uint8Array): Promise<{ bytesWritten: number; status: "ok" }> {
    this.#check();
    if (endpointNumber !== 1 || !this.claimed.has(0)) throw new Error("LIBUSB_ERROR_PIPE");
    await this.#simulator.receive(data);
    return { bytesWritten: data.length, status: "ok" };
  }
  async transferIn(endpointNumber: number, length: number, timeout = 1000): Promise<{ data?: DataView; status: "ok" }> {
    this.#check();
    if (endpointNumber !== 2) throw new Error("LIBUSB_ERROR_PIPE");
    if (this.#inbox.length === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(timeout, 50));
        this.#waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#waiting = undefined;
      this.#check();
      if (this.#isEmpty()) throw new Error("LIBUSB_TRANSFER_TIMED_OUT: transfer timed out");
    }
    const bytes = Uint8Array.from(this.#inbox.splice(0, length));
    return { data: new DataView(bytes.buffer), status: "ok" };
  }
}
