/**
 * The two ways the doctor looks at the board: run a tool (systemctl, journalctl, timedatectl)
 * and ask galleyd over HTTP on loopback. Both are bounded in time and never throw: a missing
 * tool or a silent galleyd is an answer the checks turn into a line.
 */
import { execFile } from "node:child_process";

export interface RunResult {
  /** false when the tool is missing, timed out or exited non-zero. */
  ok: boolean;
  missing: boolean;
  code: number | null;
  stdout: string;
  stderr: string;
}

export type Runner = (
  command: string,
  args: readonly string[],
  options?: { timeoutMs?: number; maxBuffer?: number },
) => Promise<RunResult>;

export const runTool: Runner = (command, args, options = {}) =>
  new Promise((resolve) => {
    execFile(
      command,
      [...args],
      { timeout: options.timeoutMs ?? 3_000, maxBuffer: options.maxBuffer ?? 4 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        const err = error as (NodeJS.ErrnoException & { code?: number | string }) | null;
        resolve({
          ok: !err,
          missing: err?.code === "ENOENT",
          code: err ? (typeof err.code === "number" ? err.code : null) : 0,
          stdout,
          stderr,
        });
      },
    );
  });

export interface HttpAnswer<T = unknown> {
  /** 0 when galleyd did not answer at all. */
  status: number;
  body: T | undefined;
  error?: string;
}

export interface GalleydClient {
  readonly baseUrl: string;
  get<T = unknown>(path: string, timeoutMs?: number): Promise<HttpAnswer<T>>;
}

export function galleydClient(baseUrl: string, token: string | undefined): GalleydClient {
  return {
    baseUrl,
    async get<T>(path: string, timeoutMs = 3_000): Promise<HttpAnswer<T>> {
      try {
        const response = await fetch(`${baseUrl}${path}`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
          signal: AbortSignal.timeout(timeoutMs),
        });
        const text = await response.text();
        let body: unknown = undefined;
        try {
          body = text ? JSON.parse(text) : undefined;
        } catch {
          body = undefined;
        }
        return { status: response.status, body: body as T };
      } catch (error) {
        return {
          status: 0,
          body: undefined,
          error:
            error instanceof Error
              ? error.cause instanceof Error
                ? error.cause.message
                : error.message
              : String(error),
        };
      }
    },
  };
}

/** The URL galleyd answers on from this machine. */
export function localBaseUrl(host: string, port: number): string {
  const loopback = host === "0.0.0.0" || host === "::" || host === "" ? "127.0.0.1" : host;
  return `http://${loopback.includes(":") ? `[${loopback}]` : loopback}:${port}`;
}
