/**
 * Screen settings, read from the page's query string so a technician sets them in the URL the
 * screen's browser opens (the kiosk unit's `--app=` URL). Every one has a default; a value that
 * is not a number in range falls back to it.
 *
 *   /kiosk?idle=60&idleWarn=15&lang=de&slide=6
 *   /kitchen?station=grill&warn=5&late=8&cancelLinger=10&lang=de&sound=0
 *   /board?clearAfter=10&highlight=20&lang=de&sound=0
 */

export interface KioskSettings {
  /** Seconds without a touch before the kiosk starts over (the last `idleWarnSeconds` count down on screen). */
  idleSeconds: number;
  idleWarnSeconds: number;
  /** Language to start in; default the menu's first. */
  lang: string | undefined;
  /** Seconds each attract-loop picture stays. */
  slideSeconds: number;
  /** Seconds the confirmation stays before the kiosk starts over on its own. */
  confirmSeconds: number;
}

export interface KitchenSettings {
  station: string | undefined;
  /** Ticket age (minutes) at which it turns yellow, and red. */
  warnMinutes: number;
  lateMinutes: number;
  /** Seconds a cancelled ticket stays, struck through. */
  cancelLingerSeconds: number;
  lang: string;
  /** Sound on new tickets, unless the cook switched it (remembered per screen). */
  sound: boolean;
}

export interface BoardSettings {
  /** Minutes a ready number stays when nobody completes the order. */
  clearAfterMinutes: number;
  /** Seconds a number that just turned ready is highlighted. */
  highlightSeconds: number;
  lang: string;
  sound: boolean;
}

function numberParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const raw = params.get(name);
  if (raw === null || raw.trim() === "") return fallback;
  const value = Number(raw);
  return Number.isFinite(value) && value >= min && value <= max ? value : fallback;
}

function boolParam(params: URLSearchParams, name: string, fallback: boolean): boolean {
  const raw = params.get(name);
  if (raw === null) return fallback;
  return !["0", "false", "off", "no"].includes(raw.toLowerCase());
}

function slugParam(params: URLSearchParams, name: string): string | undefined {
  const raw = params.get(name)?.trim().toLowerCase();
  return raw && /^[a-z0-9][a-z0-9_-]{0,63}$/.test(raw) ? raw : undefined;
}

function langParam(params: URLSearchParams): string | undefined {
  const raw = params.get("lang")?.trim();
  return raw && /^[a-z]{2}(-[A-Z]{2})?$/.test(raw) ? raw : undefined;
}

export function readKioskSettings(search: string): KioskSettings {
  const params = new URLSearchParams(search);
  const idleSeconds = numberParam(params, "idle", 60, 2, 3_600);
  return {
    idleSeconds,
    idleWarnSeconds: Math.min(idleSeconds, numberParam(params, "idleWarn", 15, 1, 600)),
    lang: langParam(params),
    slideSeconds: numberParam(params, "slide", 6, 1, 120),
    confirmSeconds: numberParam(params, "confirm", 20, 3, 600),
  };
}

export function readKitchenSettings(search: string, storedSound: string | null): KitchenSettings {
  const params = new URLSearchParams(search);
  const warnMinutes = numberParam(params, "warn", 5, 0, 600);
  return {
    station: slugParam(params, "station"),
    warnMinutes,
    lateMinutes: Math.max(warnMinutes, numberParam(params, "late", 8, 0, 600)),
    cancelLingerSeconds: numberParam(params, "cancelLinger", 10, 0, 600),
    lang: langParam(params) ?? "en",
    sound: storedSound === null ? boolParam(params, "sound", true) : storedSound === "on",
  };
}

export function readBoardSettings(search: string): BoardSettings {
  const params = new URLSearchParams(search);
  return {
    clearAfterMinutes: numberParam(params, "clearAfter", 10, 0.05, 24 * 60),
    highlightSeconds: numberParam(params, "highlight", 20, 0, 600),
    lang: langParam(params) ?? "en",
    sound: boolParam(params, "sound", true),
  };
}

/** How old a ticket looks: `fresh` until warn, `warn` until late, then `late`. */
export type AgeLevel = "fresh" | "warn" | "late";

export function ageLevel(ageMs: number, settings: Pick<KitchenSettings, "warnMinutes" | "lateMinutes">): AgeLevel {
  if (ageMs >= settings.lateMinutes * 60_000) return "late";
  if (ageMs >= settings.warnMinutes * 60_000) return "warn";
  return "fresh";
}
