/**
 * A bounded ring of galleyd's most recent log lines, fed by the logger (a second pino stream),
 * for the admin page's "recent logs" and the support bundle where the system journal is not
 * available (development, tests). Lines arrive already redacted by pino.
 */
export class LogRing {
  readonly #lines: string[] = [];
  readonly #capacity: number;
  readonly #maxLineBytes: number;

  constructor(capacity = 1_000, maxLineBytes = 4_096) {
    this.#capacity = capacity;
    this.#maxLineBytes = maxLineBytes;
  }

  /** pino destination interface: one JSON line per call. */
  write(line: string): void {
    const trimmed = line.endsWith("\n") ? line.slice(0, -1) : line;
    this.#lines.push(trimmed.length > this.#maxLineBytes ? `${trimmed.slice(0, this.#maxLineBytes)}…` : trimmed);
    if (this.#lines.length > this.#capacity) this.#lines.splice(0, this.#lines.length - this.#capacity);
  }

  /** The newest `count` lines, oldest first. */
  recent(count = this.#capacity): string[] {
    return this.#lines.slice(-Math.max(0, count));
  }

  get size(): number {
    return this.#lines.length;
  }
}

/** The process-wide ring that createLogger() tees into. */
export const recentLogs = new LogRing();
