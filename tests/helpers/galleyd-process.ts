/** Runs appliance/main.ts as a real child process, the way systemd or `npm start` does. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface Galleyd {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the URL from the banner once galleyd serves. */
  url: Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function spawnGalleyd(env: Record<string, string>, args: string[] = []): Galleyd {
  const child = spawn(process.execPath, ["--import", "tsx", join(ROOT, "appliance", "main.ts"), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", GALLEY_LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let resolveUrl: (url: string) => void = () => undefined;
  let rejectUrl: (error: Error) => void = () => undefined;
  const url = new Promise<string>((resolve, reject) => {
    resolveUrl = resolve;
    rejectUrl = reject;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    const match = /is serving on (http:\/\/\S+)/.exec(out);
    if (match?.[1]) resolveUrl(match[1]);
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("exit", (code, signal) => {
      rejectUrl(new Error(`galleyd exited (${String(code ?? signal)}) before serving:\n${err}\n${out}`));
      resolve({ code, signal });
    });
  });
  const timeout = setTimeout(() => {
    rejectUrl(new Error(`galleyd did not serve within 20 s:\n${err}\n${out}`));
  }, 20_000);
  void url
    .finally(() => {
      clearTimeout(timeout);
    })
    .catch(() => undefined);
  return { child, stdout: () => out, stderr: () => err, url, exited };
}
