/**
 * The counter's settings, from the page's query string (the screen's browser opens the URL the
 * technician set up), each with a default; a value out of range falls back to it.
 *
 *   /counter?lock=300&lockWarn=20&lang=de
 */
import { screenLanguage } from "../../i18n/index.ts";

export interface CounterSettings {
  /** Seconds without a touch or key before the counter locks itself (0: never). */
  lockSeconds: number;
  /** The last seconds before locking count down on screen. */
  lockWarnSeconds: number;
  /** The screen's language: `lang`, else the browser's. */
  lang: string;
}

function numberParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && (value === 0 || (value >= min && value <= max)) ? value : fallback;
}

export function readCounterSettings(search: string, browserLanguage: string): CounterSettings {
  const params = new URLSearchParams(search);
  return {
    lockSeconds: numberParam(params, "lock", 300, 5, 86_400),
    lockWarnSeconds: numberParam(params, "lockWarn", 20, 1, 120),
    lang: screenLanguage(params.get("lang") ?? browserLanguage),
  };
}
