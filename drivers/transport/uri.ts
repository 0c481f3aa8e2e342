import { DriverError } from "../errors.ts";

/**
 * Device URIs as written in the appliance config:
 *
 *   tcp://10.0.0.5:9100                     network printer (port defaults to 9100)
 *   serial:/dev/ttyUSB0?baud=38400&parity=none&databits=8&stopbits=1&flow=rtscts
 *   usb:04b8:0e15?serial=X1234&iface=0      libusb, by vendor:product id (hex) and serial
 *   usblp:/dev/usb/lp0                      kernel usblp node, write-only fallback
 *   sim:  /  sim:kitchen?columns=42         in-process simulator
 */
export type SerialParity = "none" | "even" | "odd" | "mark" | "space";
export type SerialFlowControl = "none" | "rtscts" | "xonxoff";

export interface TcpAddress {
  scheme: "tcp";
  host: string;
  port: number;
}
export interface SerialAddress {
  scheme: "serial";
  path: string;
  baudRate: number;
  dataBits: 5 | 6 | 7 | 8;
  parity: SerialParity;
  stopBits: 1 | 1.5 | 2;
  flow: SerialFlowControl;
}
export interface UsbAddress {
  scheme: "usb";
  vendorId: number;
  productId: number;
  serialNumber?: string;
  interfaceNumber?: number;
}
export interface UsblpAddress {
  scheme: "usblp";
  path: string;
}
export interface SimAddress {
  scheme: "sim";
  name: string;
  params: Readonly<Record<string, string>>;
}
export type DeviceAddress = TcpAddress | SerialAddress | UsbAddress | UsblpAddress | SimAddress;

export const DEFAULT_TCP_PORT = 9100;
export const DEFAULT_BAUD_RATE = 9600;

const BAUD_RATES = new Set([1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400]);
const SERIAL_KEYS = new Set(["baud", "parity", "databits", "stopbits", "flow", "rtscts", "xonxoff"]);

function invalid(uri: string, why: string): DriverError {
  return new DriverError("uri_invalid", `device URI "${uri}": ${why}`);
}

function splitQuery(uri: string, rest: string): { body: string; params: Map<string, string> } {
  const at = rest.indexOf("?");
  const body = at < 0 ? rest : rest.slice(0, at);
  const params = new Map<string, string>();
  if (at >= 0) {
    for (const [key, value] of new URLSearchParams(rest.slice(at + 1))) {
      if (params.has(key)) throw invalid(uri, `option "${key}" given twice`);
      params.set(key.toLowerCase(), value);
    }
  }
  return { body, params };
}

function parseBool(uri: string, key: string, value: string): boolean {
  if (value === "true" || value === "1" || value === "on") return true;
  if (value === "false" || value === "0" || value === "off") return false;
  throw invalid(uri, `option "${key}" must be true or false, got "${value}"`);
}

function parseTcp(uri: string, rest: string): TcpAddress {
  if (!rest.startsWith("//")) throw invalid(uri, "expected tcp://host:port");
  let url: URL;
  try {
    url = new URL(`tcp:${rest}`);
  } catch (cause) {
    throw new DriverError("uri_invalid", `device URI "${uri}": not a valid host:port`, { cause });
  }
  if (url.hostname === "") throw invalid(uri, "missing host");
  if (url.search !== "" || (url.pathname !== "" && url.pathname !== "/"))
    throw invalid(uri, "tcp takes no path or options");
  const port = url.port === "" ? DEFAULT_TCP_PORT : Number(url.port);
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  return { scheme: "tcp", host, port };
}

function parseSerial(uri: string, rest: string): SerialAddress {
  const { body, params } = splitQuery(uri, rest);
  if (!body.startsWith("/")) throw invalid(uri, "expected serial:/dev/tty…");
  for (const key of params.keys()) if (!SERIAL_KEYS.has(key)) throw invalid(uri, `unknown serial option "${key}"`);
  const baudText = params.get("baud");
  const baudRate = baudText === undefined ? DEFAULT_BAUD_RATE : Number(baudText);
  if (!BAUD_RATES.has(baudRate)) throw invalid(uri, `unsupported baud rate "${baudText ?? ""}"`);
  const parity = params.get("parity") ?? "none";
  if (!["none", "even", "odd", "mark", "space"].includes(parity))
    throw invalid(uri, `parity must be none|even|odd|mark|space`);
  const dataBits = Number(params.get("databits") ?? "8");
  if (dataBits !== 5 && dataBits !== 6 && dataBits !== 7 && dataBits !== 8) throw invalid(uri, "databits must be 5..8");
  const stopBits = Number(params.get("stopbits") ?? "1");
  if (stopBits !== 1 && stopBits !== 1.5 && stopBits !== 2) throw invalid(uri, "stopbits must be 1, 1.5 or 2");
  let flow = params.get("flow") ?? "none";
  if (!["none", "rtscts", "xonxoff"].includes(flow)) throw invalid(uri, "flow must be none|rtscts|xonxoff");
  const rtscts = params.get("rtscts");
  if (rtscts !== undefined && parseBool(uri, "rtscts", rtscts)) flow = "rtscts";
  const xonxoff = params.get("xonxoff");
  if (xonxoff !== undefined && parseBool(uri, "xonxoff", xonxoff)) {
    if (flow === "rtscts") throw invalid(uri, "choose one flow control, not both rtscts and xonxoff");
    flow = "xonxoff";
  }
  return {
    scheme: "serial",
    path: body,
    baudRate,
    dataBits,
    parity: parity as SerialParity,
    stopBits,
    flow: flow as SerialFlowControl,
  };
}

function parseHexId(uri: string, text: string | undefined, what: string): number {
  if (text === undefined || !/^[0-9a-f]{4}$/i.test(text)) throw invalid(uri, `${what} must be 4 hex digits`);
  return Number.parseInt(text, 16);
}

function parseUsb(uri: string, rest: string): UsbAddress {
  const { body, params } = splitQuery(uri, rest);
  const [vid, pid, ...extra] = body.split(":");
  if (extra.length > 0) throw invalid(uri, "expected usb:vvvv:pppp");
  const address: UsbAddress = {
    scheme: "usb",
    vendorId: parseHexId(uri, vid, "vendor id"),
    productId: parseHexId(uri, pid, "product id"),
  };
  for (const [key, value] of params) {
    if (key === "serial") {
      if (value === "") throw invalid(uri, "serial must not be empty");
      address.serialNumber = value;
    } else if (key === "iface") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0 || n > 255) throw invalid(uri, "iface must be 0..255");
      address.interfaceNumber = n;
    } else {
      throw invalid(uri, `unknown usb option "${key}"`);
    }
  }
  return address;
}

function parseUsblp(uri: string, rest: string): UsblpAddress {
  if (!rest.startsWith("/") || rest.includes("?")) throw invalid(uri, "expected usblp:/dev/usb/lpN");
  return { scheme: "usblp", path: rest };
}

function parseSim(uri: string, rest: string): SimAddress {
  const { body, params } = splitQuery(uri, rest);
  if (body !== "" && !/^[a-z0-9-]+$/i.test(body)) throw invalid(uri, "simulator name must be letters, digits and '-'");
  return { scheme: "sim", name: body === "" ? "sim" : body, params: Object.fromEntries(params) };
}

/** Parses a device URI; throws DriverError `uri_invalid` naming what is wrong. */
export function parseDeviceUri(uri: string): DeviceAddress {
  const colon = uri.indexOf(":");
  if (colon <= 0) throw invalid(uri, "missing scheme (tcp:, serial:, usb:, usblp:, sim:)");
  const scheme = uri.slice(0, colon).toLowerCase();
  const rest = uri.slice(colon + 1);
  switch (scheme) {
    case "tcp":
      return parseTcp(uri, rest);
    case "serial":
      return parseSerial(uri, rest);
    case "usb":
      return parseUsb(uri, rest);
    case "usblp":
      return parseUsblp(uri, rest);
    case "sim":
      return parseSim(uri, rest);
    default:
      throw invalid(uri, `unknown scheme "${scheme}"`);
  }
}

const hex4 = (n: number): string => n.toString(16).padStart(4, "0");

/** The canonical URI of an address (parseDeviceUri(formatDeviceUri(a)) deep-equals a). */
export function formatDeviceUri(address: DeviceAddress): string {
  switch (address.scheme) {
    case "tcp":
      return `tcp://${address.host.includes(":") ? `[${address.host}]` : address.host}:${address.port}`;
    case "serial": {
      const q = new URLSearchParams({
        baud: String(address.baudRate),
        parity: address.parity,
        databits: String(address.dataBits),
        stopbits: String(address.stopBits),
        flow: address.flow,
      });
      return `serial:${address.path}?${q.toString()}`;
    }
    case "usb": {
      const q = new URLSearchParams();
      if (address.serialNumber !== undefined) q.set("serial", address.serialNumber);
      if (address.interfaceNumber !== undefined) q.set("iface", String(address.interfaceNumber));
      const query = q.toString();
      return `usb:${hex4(address.vendorId)}:${hex4(address.productId)}${query === "" ? "" : `?${query}`}`;
    }
    case "usblp":
      return `usblp:${address.path}`;
    case "sim": {
      const query = new URLSearchParams(address.params as Record<string, string>).toString();
      return `sim:${address.name === "sim" ? "" : address.name}${query === "" ? "" : `?${query}`}`;
    }
  }
}
