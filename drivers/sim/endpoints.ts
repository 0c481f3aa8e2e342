import net from "node:net";
import type { ByteTransport } from "../transport/transport.ts";
import type { MemoryDeviceEnd } from "../transport/memory.ts";

/** What an endpoint needs from a simulated device (printer or pole display). */
export interface SimulatedDevice {
  receive(bytes: Uint8Array): Promise<void> | void;
  onReply?(listener: (bytes: Uint8Array) => void): () => void;
  onDisconnect?(listener: () => void): () => void;
}

/** Wires a simulator to the device end of an in-memory pair. Returns the detach function. */
export function attachToMemory(device: SimulatedDevice, end: MemoryDeviceEnd): () => void {
  const offs = [
    end.onData((bytes) => void device.receive(bytes)),
    device.onReply?.((bytes) => {
      end.send(bytes);
    }),
    device.onDisconnect?.(() => {
      end.disconnect("simulated disconnect");
    }),
  ];
  return () => {
    for (const off of offs) off?.();
  };
}

/** Wires a simulator to an open transport (e.g. the far end of a socat PTY pair). */
export function attachToTransport(device: SimulatedDevice, transport: ByteTransport): () => void {
  const offs = [
    transport.onData((bytes) => void device.receive(bytes)),
    device.onReply?.((bytes) => {
      transport.write(bytes).catch(() => undefined);
    }),
    device.onDisconnect?.(() => {
      void transport.close();
    }),
  ];
  return () => {
    for (const off of offs) off?.();
  };
}

export interface SimulatorServer {
  readonly host: string;
  readonly port: number;
  /** `tcp://127.0.0.1:<port>` */
  readonly uri: string;
  /** Connections accepted so far. */
  readonly connections: number;
  /** Drops the current client (cable pulled) without stopping the server. */
  dropClients(): void;
  close(): Promise<void>;
}

export interface SimulatorServerOptions {
  host?: string;
  /** 0 = an ephemeral port. */
  port?: number;
  /** Many network printers accept one client at a time and refuse others (docs/architecture.md#escpos-facts). Default 1. */
  maxClients?: number;
}

/** Serves a simulator over TCP like a printer's port 9100. */
export function startSimulatorServer(
  device: SimulatedDevice,
  options: SimulatorServerOptions = {},
): Promise<SimulatorServer> {
  const host = options.host ?? "127.0.0.1";
  const maxClients = options.maxClients ?? 1;
  const clients = new Set<net.Socket>();
  let connections = 0;
  const server = net.createServer({ noDelay: true }, (socket) => {
    if (clients.size >= maxClients) {
      socket.destroy();
      return;
    }
    connections++;
    clients.add(socket);
    const offReply = device.onReply?.((bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    const offDisconnect = device.onDisconnect?.(() => {
      socket.destroy();
    });
    socket.on("data", (chunk: Buffer) => {
      // Backpressure: stop reading until the simulator consumed the chunk (slow-read fault).
      socket.pause();
      void Promise.resolve(device.receive(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))).then(
        () => {
          if (!socket.destroyed) socket.resume();
        },
      );
    });
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clients.delete(socket);
      offReply?.();
      offDisconnect?.();
    });
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      resolve({
        host,
        port,
        uri: `tcp://${host}:${port}`,
        get connections() {
          return connections;
        },
        dropClients() {
          for (const socket of clients) socket.destroy();
        },
        close() {
          for (const socket of clients) socket.destroy();
          return new Promise<void>((done) => {
            server.close(() => {
              done();
            });
          });
        },
      });
    });
  });
}
