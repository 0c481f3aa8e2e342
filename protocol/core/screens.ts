/**
 * The one registry of the screens galleyd serves. The page routes, the Vite build's entries, the
 * start-up banner, the boot slip, the admin's links and pairing form all read this list; a new
 * screen is one entry here and one folder in ui/src/apps/ (docs/architecture.md#adding-a-feature).
 */
import type { ScreenRole } from "./roles.ts";

export interface ScreenInfo {
  /** The page's name: its URL is `/<page>`, its HTML entry is generated from `ui/page-template.ts`, its app is `ui/src/apps/<page>/`. */
  page: string;
  path: `/${string}`;
  title: string;
  /** The HTML page's `<title>`. */
  documentTitle: string;
  who: string;
  /** How the screen gets its token: paired once with a code as this screen role, or a person signing in with a PIN. */
  access: { kind: "paired"; role: ScreenRole } | { kind: "staff" };
}

export const SCREENS = [
  {
    page: "kiosk",
    path: "/kiosk",
    title: "Kiosk",
    documentTitle: "Galley · Order here",
    who: "customers ordering",
    access: { kind: "paired", role: "kiosk" },
  },
  {
    page: "kitchen",
    path: "/kitchen",
    title: "Kitchen display",
    documentTitle: "Galley · Kitchen display",
    who: "cooks (add ?station=grill for one station)",
    access: { kind: "paired", role: "kitchen" },
  },
  {
    page: "board",
    path: "/board",
    title: "Pickup board",
    documentTitle: "Galley · Pickup board",
    who: "customers waiting",
    access: { kind: "paired", role: "board" },
  },
  {
    page: "counter",
    path: "/counter",
    title: "Counter",
    documentTitle: "Galley · Counter",
    who: "cashiers (paired once, then each cashier signs in with a PIN)",
    access: { kind: "paired", role: "counter" },
  },
  {
    page: "admin",
    path: "/admin",
    title: "Admin",
    documentTitle: "Galley · Admin",
    who: "managers and technicians",
    access: { kind: "staff" },
  },
] as const satisfies readonly ScreenInfo[];

export type ScreenPage = (typeof SCREENS)[number]["page"];

/** The pages' names, in the registry's order. */
export const SCREEN_PAGES: readonly ScreenPage[] = SCREENS.map((s) => s.page);

type Screen = (typeof SCREENS)[number];
export type PairedScreen = Extract<Screen, { access: { kind: "paired" } }>;

/** The screens paired once with a code as a screen role (kiosk, kitchen, board). */
export const PAIRED_SCREENS: readonly PairedScreen[] = SCREENS.filter(
  (s): s is PairedScreen => s.access.kind === "paired",
);
