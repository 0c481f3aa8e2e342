/**
 * Assembles an app release folder from this checkout: what the image ships as the factory
 * release (/usr/lib/galley/app) and what an app update installs on the data partition
 * (/data/releases/<version>, see galley-release). Run after `npm run build`.
 *
 *   node images/tools/release.ts OUT_DIR [--tar FILE]
 *
 * Contents: dist/ (the esbuild bundles), node_modules/ with only the native addons the bundle
 * keeps external (serialport, usb) and their dependency closure, ui/dist/ when built,
 * appliance/demo-menu/, release.json (version, node version, git commit, build time).
 */
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..", "..");
/** The packages the bundle leaves external (scripts/build.ts) and must ship as files. */
const EXTERNAL = ["serialport", "usb"];

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readPackage = (dir: string): PackageJson =>
  JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as PackageJson;

/** The runtime dependency closure of `names`, as resolved from the top-level node_modules. */
export function closure(names: readonly string[], modules = join(ROOT, "node_modules")): string[] {
  const seen = new Set<string>();
  const queue = [...names];
  while (queue.length > 0 && seen.size < 500) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    const dir = join(modules, name);
    if (!existsSync(join(dir, "package.json"))) continue;
    seen.add(name);
    const pkg = readPackage(dir);
    for (const dep of [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.optionalDependencies ?? {})])
      if (!dep.startsWith("@types/")) queue.push(dep);
  }
  return [...seen].sort();
}

export function assembleRelease(out: string): { version: string; packages: string[] } {
  const dist = join(ROOT, "dist");
  if (!existsSync(join(dist, "galleyd.mjs")) || !existsSync(join(dist, "galley.mjs")))
    throw new Error("dist/ is missing: run npm run build first");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  cpSync(dist, join(out, "dist"), { recursive: true });
  const packages = closure(EXTERNAL);
  for (const name of packages)
    cpSync(join(ROOT, "node_modules", name), join(out, "node_modules", name), { recursive: true, dereference: true });
  if (existsSync(join(ROOT, "ui", "dist")))
    cpSync(join(ROOT, "ui", "dist"), join(out, "ui", "dist"), { recursive: true });
  cpSync(join(ROOT, "appliance", "demo-menu"), join(out, "appliance", "demo-menu"), { recursive: true });
  const app = readPackage(ROOT);
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    // not a git checkout
  }
  const version = process.env.GALLEY_RELEASE_VERSION ?? `${app.version}+${commit}`;
  const release = {
    version,
    node: app.devDependencies?.node ?? null,
    commit,
    builtAt: new Date(Number(process.env.SOURCE_DATE_EPOCH ?? Date.now() / 1_000) * 1_000).toISOString(),
    packages,
  };
  writeFileSync(join(out, "release.json"), `${JSON.stringify(release, null, 2)}\n`);
  return { version, packages };
}

if (import.meta.main) {
  const [out, flag, tarFile] = process.argv.slice(2);
  if (!out) {
    console.error("usage: node images/tools/release.ts OUT_DIR [--tar FILE]");
    process.exit(2);
  }
  const { version, packages } = assembleRelease(resolve(out));
  console.log(`release ${version} in ${out} (native packages: ${packages.join(", ")})`);
  if (flag === "--tar" && tarFile) {
    execFileSync("tar", [
      "--sort=name",
      "--owner=0",
      "--group=0",
      "--numeric-owner",
      "-C",
      resolve(out),
      "-czf",
      resolve(tarFile),
      ".",
    ]);
    console.log(`release tarball ${tarFile}`);
  }
}
