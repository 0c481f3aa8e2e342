/**
 * Every citation in the repository points at something a reader of the repository has: its own
 * docs (docs/architecture.md, docs/technician.md, the READMEs) or a public specification. Notes
 * that lived beside the project during its development (an architecture page, a style page,
 * research notes, the documents it was specified from) are not in the repository, so a comment
 * citing them sends the reader nowhere. This walks every tracked (and new, unignored) text file
 * and fails on such a citation, and checks that every `docs/….md#anchor` cited names a heading
 * that exists.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { lstatSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..", "..");
const SELF = relative(ROOT, import.meta.filename)
  .split("\\")
  .join("/");

/** Citations of documents outside the repository, each with what it stands for. */
const PRIVATE_CITATIONS: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /\bARCHITECTURE\.md\b/, what: "the private architecture page (cite docs/architecture.md)" },
  { pattern: /\bSTYLE\.md\b/, what: "the private style page" },
  {
    pattern: /(?:shared\/)?reference\/(?:sync|drivers|os|anchors|market|aesthetics[\w-]*|reviews)\b/,
    what: "a private research note",
  },
  { pattern: /(?<![\w/.-])reference\//, what: "a private research note" },
  {
    pattern: /(?<![\w/.-])(?:sync|drivers|os|anchors|mission-anchors|market|aesthetics(?:-galley)?)\.md\b/,
    what: "a private research note",
  },
  { pattern: /\bseeds?\/(?:\d{3}|README)/, what: "a seed document" },
  { pattern: /\bseeds? 0\d\d\b/, what: "a seed document" },
  {
    pattern: /(?:\.\.\/|\/work\/|(?<![\w.-]))shared\/(?:ARCHITECTURE|STYLE|reference|seeds|tools|hooks)\b/,
    what: "the private shared folder",
  },
];

/** Tracked files plus new ones git does not ignore, so a citation is caught before its commit. */
function repositoryFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...new Set(out.split("\0").filter((path) => path !== ""))];
}

/** The file's text, or undefined for what is not a regular text file (binaries, symlinks, deleted files). */
function textOf(path: string): string | undefined {
  const full = join(ROOT, path);
  let stat;
  try {
    stat = lstatSync(full);
  } catch {
    return undefined;
  }
  if (!stat.isFile()) return undefined;
  const bytes = readFileSync(full);
  if (bytes.subarray(0, 8_000).includes(0)) return undefined;
  return bytes.toString("utf8");
}

/** GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function anchorsIn(markdown: string): Set<string> {
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (line.startsWith("```")) inFence = !inFence;
    const heading = inFence ? null : /^#{1,6}\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading?.[1]) anchors.add(anchorOf(heading[1]));
  }
  return anchors;
}

const files = repositoryFiles().filter((path) => path !== SELF);
const texts = files.flatMap((path) => {
  const text = textOf(path);
  return text === undefined ? [] : [{ path, text }];
});

describe("citations", () => {
  it("finds the repository's files", () => {
    assert.ok(
      texts.some((f) => f.path === "README.md"),
      "README.md was not among the files walked",
    );
    assert.ok(texts.length > 100, `only ${texts.length} text files walked`);
  });

  it("cite no document outside the repository", () => {
    const found: string[] = [];
    for (const { path, text } of texts) {
      text.split("\n").forEach((line, index) => {
        for (const { pattern, what } of PRIVATE_CITATIONS) {
          if (pattern.test(line)) {
            found.push(`${path}:${index + 1}: ${what}: ${line.trim()}`);
            break;
          }
        }
      });
    }
    assert.deepEqual(found, [], `citations of documents outside the repository:\n${found.join("\n")}`);
  });

  it("name sections of the repository's docs that exist", () => {
    const docs = new Map<string, Set<string>>();
    const broken: string[] = [];
    for (const { path, text } of texts) {
      text.split("\n").forEach((line, index) => {
        for (const match of line.matchAll(/\bdocs\/([\w-]+\.md)#([\w-]+)/g)) {
          const [, file, anchor] = match;
          if (!file || !anchor) continue;
          let anchors = docs.get(file);
          if (!anchors) {
            const doc = textOf(join("docs", file));
            anchors = doc === undefined ? new Set() : anchorsIn(doc);
            docs.set(file, anchors);
          }
          if (!anchors.has(anchor)) broken.push(`${path}:${index + 1}: docs/${file}#${anchor}`);
        }
      });
    }
    assert.deepEqual(broken, [], `citations of sections that do not exist:\n${broken.join("\n")}`);
  });

  it("link within the repository's docs to sections that exist", () => {
    const broken: string[] = [];
    for (const { path, text } of texts.filter((f) => f.path.startsWith("docs/") && f.path.endsWith(".md"))) {
      const anchors = anchorsIn(text);
      for (const match of text.matchAll(/\]\(#([\w-]+)\)/g)) {
        if (match[1] && !anchors.has(match[1])) broken.push(`${path}: #${match[1]}`);
      }
    }
    assert.deepEqual(broken, [], `links to sections that do not exist:\n${broken.join("\n")}`);
  });
});
