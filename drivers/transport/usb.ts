import { DriverError, toDriverError } from "../errors.ts";
import { ListenerSet } from "../listeners.ts";
import { silentDriverLogger, traceIn, traceOut, type DriverLogger } from "../logger.ts";
import { DEFAULT_WRITE_TIMEOUT_MS, type ByteTransport, type WriteOptions } from "./transport.ts";
import { formatDeviceUri, type UsbAddress } from "./uri.ts";

/**
 * The parts of the WebUSB API (as implemented by the `usb` package, v3) that the USB transport
 * uses. Coding to this shape keeps `usb@2`'s WebUSB API a drop-in fallback and lets tests inject
 * a mock device (no USB hardware in CI).
 */
export interface UsbEndpointLike {
  endpointNumber: number;
  direction: "in" | "out";
  type: "bulk" | "interrupt" | "isochronous";
  packetSize: number;
}
export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: { interfaceClass: number; endpoints: readonly UsbEndpointLike[] };
}
export interface UsbConfigurationLike {
  configurationValue: number;
  interfaces: readonly UsbInterfaceLike[];
}
export interface UsbTransferOutResult {
  bytesWritten: number;
  status: "ok" | "stall" | "babble";
}
export interface UsbTransferInResult {
  data?: DataView | undefined;
  status: "ok" | "stall" | "babble";
}
export interface UsbDeviceLike {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null | undefined;
  readonly opened: boolean;
  readonly configuration?: UsbConfigurationLike | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(configurationValue: number): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  /** usb@3 takes a timeout as third argument (WebUSB has none). */
  transferOut(endpointNumber: number, data: Uint8Array, timeout?: number): Promise<UsbTransferOutResult>;
  transferIn(endpointNumber: number, length: number, timeout?: number): Promise<UsbTransferInResult>;
  /** Linux: take the interface from the usblp kernel driver, or claiming fails with BUSY. */
  detachKernelDriver?(interfaceNumber: number): Promise<void>;
}
export interface UsbConnectionEventLike {
  device: UsbDeviceLike;
}
export interface UsbBackend {
  getDevices(): Promise<UsbDeviceLike[]>;
  addEventListener(type: "connect" | "disconnect", listener: (event: UsbConnectionEventLike) => void): void;
  removeEventListener(type: "connect" | "disconnect", listener: (event: UsbConnectionEventLike) => void): void;
}

/** USB printer class (bInterfaceClass 7). */
export const USB_CLASS_PRINTER = 0x07;

export interface UsbTransportOptions extends UsbAddress {
  /** Defaults to the `usb` package's WebUSB object, loaded on first open. */
  backend?: UsbBackend;
  logger?: DriverLogger;
  /** How long one bulk-IN poll waits before looping (the read loop checks for close in between). */
  readPollMs?: number;
}

const NS = "drivers:usb";

async function defaultBackend(): Promise<UsbBackend> {
  const usb = await import("usb");
  // usb@3's WebUSB class implements this shape; its d.ts types come from the DOM's WebUSB.
  return new usb.WebUSB({ allowAllDevices: true }) as unknown as UsbBackend;
}

interface Claimed {
  device: UsbDeviceLike;
  interfaceNumber: number;
  outEndpoint: UsbEndpointLike;
  inEndpoint: UsbEndpointLike | undefined;
}

function pickInterface(device: UsbDeviceLike, wanted: number | undefined): Claimed | undefined {
  const interfaces = device.configuration?.interfaces ?? [];
  const candidates =
    wanted === undefined
      ? [...interfaces].sort(
          (a, b) =>
            Number(b.alternate.interfaceClass === USB_CLASS_PRINTER) -
            Number(a.alternate.interfaceClass === USB_CLASS_PRINTER),
        )
      : interfaces.filter((i) => i.interfaceNumber === wanted);
  for (const iface of candidates) {
    const endpoints = iface.alternate.endpoints;
    const outEndpoint = endpoints.find((e) => e.direction === "out" && e.type === "bulk");
    if (outEndpoint === undefined) continue;
    const inEndpoint = endpoints.find((e) => e.direction === "in" && e.type === "bulk");
    return { device, interfaceNumber: iface.interfaceNumber, outEndpoint, inEndpoint };
  }
  return undefined;
}

const isTimeout = (error: unknown): boolean => error instanceof Error && /time(d)?\s?out/i.test(error.message);

/**
 * libusb bulk transport for printers (class 7 or vendor-specific 0xFF). Selects the device by
 * vendor:product id and optional serial number; a `disconnect` event closes the transport, and
 * the actor re-opens it when the device is plugged back in.
 */
export function createUsbTransport(options: UsbTransportOptions): ByteTransport {
  const logger = options.logger ?? silentDriverLogger;
  const description = formatDeviceUri({ ...options, scheme: "usb" });
  const dataListeners = new ListenerSet<[Uint8Array]>(`${description} data`, logger);
  const closeListeners = new ListenerSet<[Error | undefined]>(`${description} close`, logger);
  let backend = options.backend;
  let claimed: Claimed | undefined;
  let bidirectional = true;
  let onDisconnect: ((event: UsbConnectionEventLike) => void) | undefined;

  function matches(device: UsbDeviceLike): boolean {
    if (device.vendorId !== options.vendorId || device.productId !== options.productId) return false;
    return options.serialNumber === undefined || device.serialNumber === options.serialNumber;
  }

  async function finish(reason: Error | undefined): Promise<void> {
    const current = claimed;
    if (current === undefined) return;
    claimed = undefined;
    if (onDisconnect !== undefined) backend?.removeEventListener("disconnect", onDisconnect);
    onDisconnect = undefined;
    if (reason === undefined) {
      await current.device.releaseInterface(current.interfaceNumber).catch(() => undefined);
      await current.device.close().catch(() => undefined);
    }
    closeListeners.emit(reason);
  }

  async function readLoop(current: Claimed): Promise<void> {
    const inEndpoint = current.inEndpoint;
    if (inEndpoint === undefined) return;
    const pollMs = options.readPollMs ?? 200;
    while (claimed === current) {
      try {
        const result = await current.device.transferIn(
          inEndpoint.endpointNumber,
          Math.max(64, inEndpoint.packetSize),
          pollMs,
        );
        if (claimed !== current) return;
        const view = result.data;
        if (result.status === "ok" && view !== undefined && view.byteLength > 0) {
          const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength).slice();
          traceIn(logger, NS, description, bytes);
          dataListeners.emit(bytes);
        }
      } catch (error) {
        if (claimed !== current) return;
        if (isTimeout(error)) continue;
        await finish(toDriverError(error, "read_failed", `${description} read`));
        return;
      }
    }
  }

  return {
    kind: "usb",
    description,
    get bidirectional() {
      return bidirectional;
    },
    get isOpen() {
      return claimed !== undefined;
    },
    async open() {
      if (claimed !== undefined) return;
      backend ??= await defaultBackend().catch((error: unknown) => {
        throw toDriverError(error, "open_failed", "the usb package cannot be loaded");
      });
      let devices: UsbDeviceLike[];
      try {
        devices = await backend.getDevices();
      } catch (error) {
        throw toDriverError(error, "open_failed", "cannot list USB devices");
      }
      const device = devices.find(matches);
      if (device === undefined) throw new DriverError("device_not_found", `no USB device ${description}`);
      try {
        if (!device.opened) await device.open();
        if (device.configuration == null) await device.selectConfiguration(1);
        const picked = pickInterface(device, options.interfaceNumber);
        if (picked === undefined) throw new DriverError("open_failed", `${description} has no bulk OUT endpoint`);
        await device.detachKernelDriver?.(picked.interfaceNumber).catch(() => undefined);
        await device.claimInterface(picked.interfaceNumber);
        bidirectional = picked.inEndpoint !== undefined;
        claimed = picked;
      } catch (error) {
        await device.close().catch(() => undefined);
        throw toDriverError(error, "open_failed", `cannot claim ${description}`);
      }
      const current = claimed;
      onDisconnect = (event) => {
        if (event.device === current.device || matches(event.device))
          void finish(new DriverError("closed", `${description} was unplugged`));
      };
      backend.addEventListener("disconnect", onDisconnect);
      void readLoop(current);
    },
    async write(bytes: Uint8Array, writeOptions?: WriteOptions) {
      const current = claimed;
      if (current === undefined) throw new DriverError("not_open", `${description} is not open`);
      traceOut(logger, NS, description, bytes);
      let result: UsbTransferOutResult;
      try {
        result = await current.device.transferOut(
          current.outEndpoint.endpointNumber,
          bytes,
          writeOptions?.timeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS,
        );
      } catch (error) {
        const driverError = isTimeout(error)
          ? new DriverError("write_timeout", `${description}: write timed out`, { cause: error })
          : toDriverError(error, "write_failed");
        if (!isTimeout(error)) await finish(driverError);
        throw driverError;
      }
      if (result.status !== "ok" || result.bytesWritten !== bytes.length) {
        throw new DriverError(
          "write_failed",
          `${description}: ${result.status}, ${result.bytesWritten}/${bytes.length} bytes written`,
        );
      }
    },
    onData: (listener) => dataListeners.add(listener),
    onClose: (listener) => closeListeners.add(listener),
    close: () => finish(undefined),
  };
}
