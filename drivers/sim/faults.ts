/** Faults the simulator can inject (docs/architecture.md#testing-without-hardware). Each byte fault fires once. */
export interface SimulatorFaults {
  /**
   * The paper runs out when the printer reaches this byte, counted from when the fault was set
   * (at creation: from the first byte); printing resumes after `setPaper('ok')`.
   */
  paperOutAtByte?: number;
  /** The connection drops after this many more bytes have been received (counted like paperOutAtByte). */
  disconnectAtByte?: number;
  /** A one-way printer: prints, never answers anything. */
  oneWay?: boolean;
  /** Slow reads: each received chunk is consumed this long after it arrived (backpressure). */
  readDelayMs?: number;
  /** Answers nothing while printing normally (firmware that goes silent). */
  silent?: boolean;
}

/**
 * The faults armed on one simulated printer. Byte faults are held as positions in the printer's
 * running counts (bytes received, bytes processed) and disarm themselves when they fire.
 */
export class ArmedFaults {
  #faults: SimulatorFaults;

  /** Faults given at creation count from the first byte. */
  constructor(faults: SimulatorFaults = {}) {
    this.#faults = { ...faults };
  }

  /** Replaces the faults; byte positions count from the printer's counts now. */
  replace(faults: SimulatorFaults, counts: { received: number; processed: number }): void {
    this.#faults = { ...faults };
    if (faults.paperOutAtByte !== undefined) this.#faults.paperOutAtByte = counts.processed + faults.paperOutAtByte;
    if (faults.disconnectAtByte !== undefined)
      this.#faults.disconnectAtByte = counts.received + faults.disconnectAtByte;
  }

  get readDelayMs(): number {
    return this.#faults.readDelayMs ?? 0;
  }

  /** One-way or gone silent: nothing is answered. */
  get mute(): boolean {
    return this.#faults.oneWay === true || this.#faults.silent === true;
  }

  /** How many of `length` bytes arriving after `received` get in before the link drops; undefined when it holds. */
  disconnectWithin(received: number, length: number): number | undefined {
    const cutAt = this.#faults.disconnectAtByte;
    if (cutAt === undefined || received + length < cutAt) return undefined;
    delete this.#faults.disconnectAtByte;
    return Math.max(0, cutAt - received);
  }

  /** True when processing `length` more bytes after `processed` would pass the paper-out byte. */
  paperRunsOut(processed: number, length: number): boolean {
    const paperOut = this.#faults.paperOutAtByte;
    if (paperOut === undefined || processed + length <= paperOut) return false;
    delete this.#faults.paperOutAtByte;
    return true;
  }
}
