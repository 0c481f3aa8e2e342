/**
 * A scriptable HTTP server on 127.0.0.1 (port 0) for fake upstreams (docs/architecture.md#fault-tests,
 * "Network faults"). A fake implements `handle`; the test scripts faults for the next requests:
 *
 * - `status`: answer this status/body/headers instead of handling the request (500 bursts, 429
 *   with Retry-After, 401, 403 …);
 * - `hang`: accept the request and never answer (the client's timeout must fire);
 * - `drop`: destroy the connection before handling;
 * - `commit-then-drop`: handle the request (the record is stored), then destroy the connection
 *   without answering — the retry must be a duplicate, not a second record;
 * - `malformed`: handle it, answer 200 with a body that is not JSON;
 * - `slow`: handle it, send the answer's bytes over `ms`.
 *
 * Plus `down()`/`up()` (connection refused on the same port) and `flap(p)` (a 503 with
 * probability p). Every request is logged with the fake's clock, so tests can assert "no
 * request before Retry-After".
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

export type Fault =
  | { kind: "status"; status: number; body?: unknown; headers?: Record<string, string> }
  | { kind: "hang" }
  | { kind: "drop" }
  | { kind: "commit-then-drop" }
  | { kind: "malformed" }
  | { kind: "slow"; ms: number };

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  at: number;
  /** The fault applied, if any. */
  fault?: Fault["kind"];
}

export interface FakeResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
  rawBody: string;
}

interface ScriptedFault {
  fault: Fault;
  /** Applies only to requests whose path matches (default: any). */
  match?: (request: FakeRequest) => boolean;
}

export abstract class ScriptedServer {
  readonly requests: LoggedRequest[] = [];
  /** Set false to stop logging requests (long benchmarks). */
  logRequests = true;
  #server: Server | undefined;
  #port = 0;
  readonly #sockets = new Set<Socket>();
  readonly #faults: ScriptedFault[] = [];
  #flap = 0;
  #random: () => number = Math.random;
  protected now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.now = options.now ?? (() => Date.now());
  }

  protected abstract handle(request: FakeRequest): FakeResponse | Promise<FakeResponse>;

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get port(): number {
    return this.#port;
  }

  async start(): Promise<string> {
    await this.#listen(0);
    return this.url;
  }

  /** Stops listening and cuts open connections: requests now get "connection refused". */
  async down(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
    if (server)
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
  }

  /** Listens again on the same port. */
  async up(): Promise<void> {
    if (this.#server) return;
    await this.#listen(this.#port);
  }

  async stop(): Promise<void> {
    await this.down();
  }

  /** The next requests (matching `match`, if given) get these faults, in order. */
  script(faults: Fault | readonly Fault[], match?: (request: FakeRequest) => boolean): void {
    for (const fault of [faults].flat()) this.#faults.push(match ? { fault, match } : { fault });
  }

  clearScript(): void {
    this.#faults.length = 0;
  }

  /** Each request fails with 503 with probability `p` (flapping); 0 turns it off. */
  flap(p: number, random: () => number = Math.random): void {
    this.#flap = p;
    this.#random = random;
  }

  requestsTo(pathPart: string): LoggedRequest[] {
    return this.requests.filter((r) => r.path.includes(pathPart));
  }

  #listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      void this.#onRequest(req, res);
    });
    server.keepAliveTimeout = 60_000;
    server.on("connection", (socket: Socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        this.#port = (server.address() as { port: number }).port;
        this.#server = server;
        resolve();
      });
    });
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    let body: unknown = undefined;
    const type = req.headers["content-type"] ?? "";
    if (rawBody && type.includes("json")) {
      try {
        body = JSON.parse(rawBody);
      } catch {
        body = rawBody;
      }
    } else if (rawBody) body = rawBody;
    const request: FakeRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody,
    };
    const index = this.#faults.findIndex((f) => !f.match || f.match(request));
    const scripted = index >= 0 ? this.#faults.splice(index, 1)[0]?.fault : undefined;
    const fault: Fault | undefined =
      scripted ??
      (this.#flap > 0 && this.#random() < this.#flap
        ? { kind: "status", status: 503, body: this.flapBody() }
        : undefined);
    if (this.logRequests)
      this.requests.push({
        method: request.method,
        path: request.path,
        query: request.query,
        headers: request.headers,
        body,
        at: this.now(),
        ...(fault ? { fault: fault.kind } : {}),
      });
    if (fault) {
      switch (fault.kind) {
        case "status":
          this.#send(
            res,
            {
              status: fault.status,
              ...(fault.body !== undefined ? { body: fault.body } : {}),
              ...(fault.headers ? { headers: fault.headers } : {}),
            },
            request,
          );
          return;
        case "hang":
          return;
        case "drop":
          req.socket.destroy();
          return;
        case "commit-then-drop":
          await this.handle(request);
          req.socket.destroy();
          return;
        case "malformed":
          await this.handle(request);
          res.writeHead(200, { "content-type": "application/json" });
          res.end('{"results": [ this is not json');
          return;
        case "slow": {
          const answer = await this.handle(request);
          const text = JSON.stringify(answer.body ?? {});
          res.writeHead(answer.status, {
            "content-type": "application/json",
            ...this.extraHeaders(request),
            ...answer.headers,
          });
          const half = Math.floor(text.length / 2);
          res.write(text.slice(0, half));
          setTimeout(() => res.end(text.slice(half)), fault.ms);
          return;
        }
      }
    }
    let answer: FakeResponse;
    try {
      answer = await this.handle(request);
    } catch (error) {
      answer = { status: 500, body: this.errorBody(500, (error as Error).message) };
    }
    this.#send(res, answer, request);
  }

  #send(res: ServerResponse, answer: FakeResponse, request: FakeRequest): void {
    if (res.destroyed) return;
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      "content-type": "application/json",
      ...this.extraHeaders(request),
      ...answer.headers,
    });
    res.end(text);
  }

  /** Headers every answer carries (Square echoes Square-Version). */
  protected extraHeaders(_request: FakeRequest): Record<string, string> {
    return {};
  }

  /** The provider's error body for a status (for flapping and crashes). */
  protected errorBody(status: number, detail: string): unknown {
    return { error: { status, detail } };
  }

  protected flapBody(): unknown {
    return this.errorBody(503, "flapping");
  }
}
