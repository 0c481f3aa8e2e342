/**
 * galley-release on a temporary tree: install a release tarball, switch to it atomically,
 * confirm it on READY, or roll back after starts that never reached READY.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SCRIPT = join(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "images",
  "overlay",
  "usr",
  "lib",
  "galley",
  "libexec",
  "galley-release",
);

function tree(): { root: string; factory: string; run: (...args: string[]) => { status: number | null; out: string } } {
  const base = mkdtempSync(join(tmpdir(), "galley-release-"));
  const root = join(base, "releases");
  const factory = join(base, "factory");
  for (const dir of [join(factory, "dist")]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(factory, "dist", "galleyd.mjs"), "");
  writeFileSync(join(factory, "dist", "galley.mjs"), "");
  const run = (...args: string[]) => {
    const result = spawnSync("bash", [SCRIPT, ...args], {
      env: { PATH: "/usr/bin:/bin", GALLEY_RELEASES: root, GALLEY_FACTORY_RELEASE: factory, GALLEY_TRIAL_STARTS: "3" },
      encoding: "utf8",
    });
    return { status: result.status, out: `${result.stdout}${result.stderr}` };
  };
  return { root, factory, run };
}

function tarball(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), "galley-rel-src-"));
  mkdirSync(join(dir, "dist"));
  writeFileSync(join(dir, "dist", "galleyd.mjs"), "");
  writeFileSync(join(dir, "dist", "galley.mjs"), "");
  writeFileSync(join(dir, "release.json"), JSON.stringify({ version }));
  const file = join(mkdtempSync(join(tmpdir(), "galley-rel-tgz-")), `galley-app-${version}.tar.gz`);
  execFileSync("tar", ["-C", dir, "-czf", file, "."]);
  return file;
}

describe("galley-release", () => {
  it("runs the factory release until another is switched to", () => {
    const t = tree();
    assert.equal(t.run("path").out.trim(), t.factory);
  });

  it("installs, switches (trial), and keeps the release once it reports READY", () => {
    const t = tree();
    assert.equal(t.run("install", tarball("1.2.0")).status, 0);
    assert.ok(existsSync(join(t.root, "1.2.0", "dist", "galleyd.mjs")));
    assert.notEqual(t.run("install", tarball("1.2.0")).status, 0, "the same version twice is refused");
    assert.equal(t.run("switch", "1.2.0").status, 0);
    assert.equal(readlinkSync(join(t.root, "current")), "1.2.0");
    assert.equal(realpathSync(join(t.root, "previous")), realpathSync(t.factory));
    assert.equal(t.run("path").out.trim(), join(t.root, "1.2.0"));
    assert.equal(t.run("pre-start").status, 0);
    assert.equal(readFileSync(join(t.root, "trial"), "utf8").trim(), "1.2.0 1");
    assert.equal(t.run("confirm").status, 0);
    assert.equal(existsSync(join(t.root, "trial")), false);
    assert.match(t.run("status").out, /trial: {4}none/);
  });

  it("rolls back on the start after GALLEY_TRIAL_STARTS starts without READY", () => {
    const t = tree();
    t.run("install", tarball("2.0.0"));
    t.run("switch", "2.0.0");
    for (let i = 0; i < 3; i += 1) assert.equal(t.run("pre-start").status, 0);
    assert.equal(t.run("path").out.trim(), join(t.root, "2.0.0"), "three tries");
    const fourth = t.run("pre-start");
    assert.match(fourth.out, /never reported READY in 3 starts: rolling back/);
    assert.equal(t.run("path").out.trim(), realpathSync(t.factory));
    assert.equal(existsSync(join(t.root, "trial")), false);
  });

  it("refuses a tarball that is not a release, and a switch to a version that is not installed", () => {
    const t = tree();
    const dir = mkdtempSync(join(tmpdir(), "galley-notrel-"));
    writeFileSync(join(dir, "hello.txt"), "hi");
    const bogus = join(mkdtempSync(join(tmpdir(), "galley-rel-tgz-")), "bogus.tar.gz");
    execFileSync("tar", ["-C", dir, "-czf", bogus, "."]);
    assert.notEqual(t.run("install", bogus).status, 0);
    assert.notEqual(t.run("switch", "9.9.9").status, 0);
    assert.equal(t.run("path").out.trim(), t.factory);
  });
});
