/**
 * Runs a fault test's child (a galleyd in its own process, killed by a failpoint or finishing on
 * its own) and reads what it says: each stdout line `WORD rest` is kept under WORD, and `DONE
 * <json>` is parsed. The child gets only PATH, HOME and the test's variables.
 */
import { spawn } from "node:child_process";

export interface ChildRun {
  signal: NodeJS.Signals | null;
  code: number | null;
  /** What followed each leading word, in order (e.g. `ORDER` → order ids). */
  said: Map<string, string[]>;
  done: Record<string, unknown> | undefined;
  stderr: string;
}

export function runChild(
  script: string,
  dataDir: string,
  env: Record<string, string>,
  timeoutMs = 90_000,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, dataDir], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", ...env },
    });
    const run: ChildRun = { signal: null, code: null, said: new Map(), done: undefined, stderr: "" };
    let buffer = "";
    const guard = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`child did not finish within ${timeoutMs / 1_000} s: ${run.stderr}`));
    }, timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline = buffer.indexOf("\n");
      while (newline >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf("\n");
        const space = line.indexOf(" ");
        const word = space < 0 ? line : line.slice(0, space);
        const rest = space < 0 ? "" : line.slice(space + 1);
        if (word === "DONE") run.done = JSON.parse(rest) as Record<string, unknown>;
        else run.said.set(word, [...(run.said.get(word) ?? []), rest]);
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      run.stderr += chunk.toString();
    });
    child.on("exit", (code, signal) => {
      clearTimeout(guard);
      run.code = code;
      run.signal = signal;
      resolve(run);
    });
  });
}
