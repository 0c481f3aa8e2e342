import { spawn, type ChildProcess } from "node:child_process";
import { DriverError } from "../errors.ts";
import { createSerialTransport } from "../transport/serial.ts";
import type { ByteTransport } from "../transport/transport.ts";
import { attachToTransport, type SimulatedDevice } from "./endpoints.ts";

export interface PtyPair {
  /** The end the host (driver under test) opens, e.g. /dev/pts/7. */
  readonly hostPath: string;
  /** The end the simulator holds. */
  readonly devicePath: string;
  close(): Promise<void>;
}

/**
 * Starts `socat -d -d pty,raw,echo=0 pty,raw,echo=0` and reads the two pseudo-terminal paths
 * it reports ("N PTY is /dev/pts/X"). Needs socat (Debian package `socat`).
 */
export function startPtyPair(options: { socatPath?: string; timeoutMs?: number } = {}): Promise<PtyPair> {
  const child: ChildProcess = spawn(options.socatPath ?? "socat", ["-d", "-d", "pty,raw,echo=0", "pty,raw,echo=0"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    const paths: string[] = [];
    let stderr = "";
    const timer = setTimeout(() => {
      child.kill();
      reject(new DriverError("open_failed", `socat did not report two PTYs: ${stderr.trim()}`));
    }, options.timeoutMs ?? 5_000);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(new DriverError("open_failed", "cannot start socat (is it installed?)", { cause: error }));
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => {
      stderr += text;
      for (const match of text.matchAll(/PTY is (\S+)/g)) if (match[1] !== undefined) paths.push(match[1]);
      const [hostPath, devicePath] = paths;
      if (hostPath !== undefined && devicePath !== undefined && paths.length === 2) {
        clearTimeout(timer);
        resolve({
          hostPath,
          devicePath,
          close: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null || child.signalCode !== null) {
                done();
                return;
              }
              child.once("exit", () => {
                done();
              });
              child.kill();
            }),
        });
      }
    });
  });
}

export interface SimulatorPty {
  readonly hostPath: string;
  /** `serial:<hostPath>?baud=…` for createPrinter/createDisplay. */
  readonly uri: string;
  close(): Promise<void>;
}

/**
 * Starts a socat PTY pair and opens its device end (the simulator's) as a serial transport, 8N1
 * with no flow control; the pair is closed again when that fails.
 */
export async function openPtyDevice(options: {
  baudRate: number;
  socatPath?: string | undefined;
}): Promise<{ pair: PtyPair; transport: ByteTransport }> {
  const pair = await startPtyPair(options.socatPath === undefined ? {} : { socatPath: options.socatPath });
  const transport = createSerialTransport({
    scheme: "serial",
    path: pair.devicePath,
    baudRate: options.baudRate,
    dataBits: 8,
    parity: "none",
    stopBits: 1,
    flow: "none",
    drain: false,
  });
  try {
    await transport.open();
  } catch (error) {
    await pair.close();
    throw error;
  }
  return { pair, transport };
}

/** Puts a simulator on one end of a socat PTY pair; the host opens the other end as a serial port. */
export async function startSimulatorPty(
  device: SimulatedDevice,
  options: { baudRate?: number; socatPath?: string } = {},
): Promise<SimulatorPty> {
  const baudRate = options.baudRate ?? 38400;
  const { pair, transport } = await openPtyDevice({ baudRate, socatPath: options.socatPath });
  const detach = attachToTransport(device, transport);
  return {
    hostPath: pair.hostPath,
    uri: `serial:${pair.hostPath}?baud=${baudRate}`,
    async close() {
      detach();
      await transport.close();
      await pair.close();
    },
  };
}
