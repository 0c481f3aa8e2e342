/**
 * A ZVT payment terminal (PT) simulator speaking the same bytes as a real one, over real TCP
 * (127.0.0.1, an ephemeral port, like port 20007 of a terminal) or over a socat PTY pair with the
 * serial DLE/STX framing. It keeps its booked transactions — so a repeated receipt (06 20) tells
 * the truth after a lost answer and an end of day (06 50) sums them — checks the ECR password, and
 * prints customer slips with a masked card number only.
 *
 * Sales and refunds take their fate from a script, one entry each, in order (default: approve):
 *
 *   approve            statuses "insert card", "PIN", "please wait", then 04 0F, receipts, 06 0F
 *   decline            04 0F with result code (default 0x05, the issuer's "do not honour"), 06 1E
 *   customer_cancels   "insert card", then 06 1E 6C
 *   slow_customer      intermediate statuses for `durationMs` (06 B0 aborts it: 06 1E 6C), then approve
 *   no_answer          acknowledges the request and never says anything again
 *   drop_connection    one intermediate status, then the connection closes; nothing booked
 *   approve_then_drop  booked as approved, then the connection closes before 04 0F / 06 0F
 *
 * Each message the simulator sends waits for the ECR's `80 00 00` (a flow without it stops).
 * A wrong password is refused with the negative acknowledgement `84 83 00`. Over serial a "drop"
 * cannot pull a cable: the simulator goes silent for that transaction instead.
 *
 * Here: the options, the inspection API and the transports (TCP server, socat PTY). The protocol
 * flows are in `zvt-sim-session.ts`, the script and the booked transactions in `zvt-sim-bookings.ts`.
 */
import net from "node:net";
import { createStreamChannel, encodeApdu, toHex, type BytePipe } from "../terminal/zvt/apdu.ts";
import { createSerialChannel } from "../terminal/zvt/serial-framing.ts";
import { openPtyDevice } from "./pty.ts";
import { ZvtSimBooks, type ZvtScriptedOutcome, type ZvtSimTransaction } from "./zvt-sim-bookings.ts";
import { createZvtSimProtocol, type ZvtSimProtocol } from "./zvt-sim-session.ts";

export type { ZvtScriptedOutcome, ZvtSimCard, ZvtSimTransaction } from "./zvt-sim-bookings.ts";

export interface ZvtReceivedApdu {
  cls: number;
  instr: number;
  data: Uint8Array;
  /** e.g. "06 01 0b 04 00 00 00 00 12 34 49 09 78" */
  hex: string;
}

export interface ZvtSimulatorOptions {
  transport?: "tcp" | "serial";
  /** Six digits. Default "123456". */
  password?: string;
  /** Eight digits. Default "52001233". */
  terminalId?: string;
  /** Pause between the simulator's status messages. Default 10 ms. */
  stepMs?: number;
  /** How long the simulator waits for the ECR's `80 00 00`. Default 3000 ms. */
  ackTimeoutMs?: number;
  /** Send receipts as 06 D3 text blocks when the ECR permitted them at registration. Default false (06 D1 lines). */
  useTextBlocks?: boolean;
  /** Serial only. Default 9600. */
  baudRate?: number;
  socatPath?: string;
}

export interface ZvtSimulator {
  /** `tcp://127.0.0.1:<port>` or `serial:/dev/pts/N?baud=9600` for createZvtTerminal. */
  readonly uri: string;
  /** Appends outcomes for the next sales/refunds. */
  script(...outcomes: ZvtScriptedOutcome[]): void;
  /** Scripted outcomes not consumed yet. */
  pending(): number;
  transactions(): ZvtSimTransaction[];
  /** Every APDU the ECR sent, in order (acknowledgements included). */
  received(): ZvtReceivedApdu[];
  /** Connections accepted so far (TCP) — 1 for serial. */
  connections(): number;
  /** Closes the current connection (TCP) like a pulled cable. */
  dropConnection(): void;
  close(): Promise<void>;
}

export async function startZvtSimulator(options: ZvtSimulatorOptions = {}): Promise<ZvtSimulator> {
  const books = new ZvtSimBooks();
  const log: ZvtReceivedApdu[] = [];
  const protocol = createZvtSimProtocol({
    password: options.password ?? "123456",
    terminalId: options.terminalId ?? "52001233",
    stepMs: options.stepMs ?? 10,
    ackTimeoutMs: options.ackTimeoutMs ?? 3_000,
    useTextBlocks: options.useTextBlocks === true,
    books,
    onReceived: (message) => log.push({ ...message, hex: toHex(encodeApdu(message)) }),
  });
  const endpoint =
    options.transport === "serial" ? await serialEndpoint(protocol, options) : await tcpEndpoint(protocol);
  return {
    uri: endpoint.uri,
    script(...outcomes) {
      books.script(outcomes);
    },
    pending: () => books.pending(),
    transactions: () => books.transactions(),
    received: () => [...log],
    connections: endpoint.connections,
    dropConnection: endpoint.dropConnection,
    close: endpoint.close,
  };
}

type Endpoint = Pick<ZvtSimulator, "uri" | "connections" | "dropConnection" | "close">;

/** One end of a socat PTY pair with the serial framing: one "connection" for the simulator's life. */
async function serialEndpoint(protocol: ZvtSimProtocol, options: ZvtSimulatorOptions): Promise<Endpoint> {
  const baudRate = options.baudRate ?? 9600;
  const { pair, transport } = await openPtyDevice({ baudRate, socatPath: options.socatPath });
  let session = protocol.open(createSerialChannel(transport), drop);
  // Serial has no connection to drop: forget this transaction's conversation and listen afresh.
  function drop(): void {
    protocol.end(session);
    session = protocol.open(createSerialChannel(transport), drop);
  }
  return {
    uri: `serial:${pair.hostPath}?baud=${baudRate}`,
    connections: () => 1,
    dropConnection: drop,
    async close() {
      protocol.end(session);
      await transport.close();
      await pair.close();
    },
  };
}

/** A TCP server on 127.0.0.1 (an ephemeral port): a session per accepted connection. */
async function tcpEndpoint(protocol: ZvtSimProtocol): Promise<Endpoint> {
  let connectionCount = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    connectionCount++;
    sockets.add(socket);
    const session = protocol.open(createStreamChannel(socketPipe(socket)), () => socket.destroy());
    socket.on("error", () => undefined);
    socket.on("close", () => {
      sockets.delete(socket);
      protocol.end(session);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const dropAll = (): void => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    uri: `tcp://127.0.0.1:${port}`,
    connections: () => connectionCount,
    dropConnection: dropAll,
    close() {
      dropAll();
      protocol.endAll();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** A socket as the byte pipe an APDU channel reads and writes. */
function socketPipe(socket: net.Socket): BytePipe {
  const listeners = new Set<(chunk: Uint8Array) => void>();
  socket.on("data", (chunk: Buffer) => {
    const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (const listener of [...listeners]) listener(bytes);
  });
  return {
    write: (bytes) =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) {
          reject(new Error("socket closed"));
          return;
        }
        socket.write(bytes, (error) => {
          if (error) reject(error);
          else resolve();
        });
      }),
    onData(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
