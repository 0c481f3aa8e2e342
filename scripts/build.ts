/**
 * `npm run build`: bundles galleyd and the technician CLI into dist/ with esbuild, and the screens
 * into ui/dist/ with Vite: together, what a release ships. The bundle is
 * what the image ships and what benchmarks measure: one file loads faster and holds less memory
 * than hundreds of modules (cold start and RSS are targets). Native addons stay external.
 */
import { build } from "esbuild";
import { cpSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");

/** V8 flags galleyd runs with in production (systemd unit, `npm run serve`, benchmarks). */
export const PRODUCTION_NODE_FLAGS = ["--max-semi-space-size=2"];

/**
 * Environment galleyd runs with in production: two glibc malloc arenas instead of eight per core
 * (libuv's threads each grow their own), which keeps 10–20 MB of resident memory off a 1 GB board.
 */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: "2" };

export async function buildAppliance(): Promise<void> {
  await build({
    entryPoints: { galleyd: join(ROOT, "appliance", "main.ts"), galley: join(ROOT, "appliance", "cli", "galley.ts") },
    outdir: join(ROOT, "dist"),
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node24",
    minifySyntax: true,
    minifyWhitespace: true,
    sourcemap: "linked",
    // Licence comments go to dist/*.LEGAL.txt: kept with the release, out of the source V8 holds in memory.
    legalComments: "linked",
    logLevel: "warning",
    // Native addons (and their loaders) are loaded from node_modules at run time.
    external: ["serialport", "@serialport/*", "usb", "@node-usb/*"],
    // Some CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __galleyRequire } from 'node:module'; const require = __galleyRequire(import.meta.url);",
    },
  });
  // Files modules read beside themselves (new URL("./…", import.meta.url)) move next to the bundle:
  // the printer simulator's bitmap font (and its licence).
  cpSync(join(ROOT, "drivers", "sim", "font"), join(ROOT, "dist", "font"), { recursive: true });
}

/** The screens (Vite, ui/vite.config.ts) into ui/dist, which galleyd serves and every release ships. */
export async function buildScreens(): Promise<void> {
  const { build: viteBuild } = await import("vite");
  await viteBuild({ root: join(ROOT, "ui"), configFile: join(ROOT, "ui", "vite.config.ts"), logLevel: "warn" });
}

if (import.meta.main) {
  await buildAppliance();
  await buildScreens();
  console.log("built dist/galleyd.mjs, dist/galley.mjs and ui/dist/");
}
