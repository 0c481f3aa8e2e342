/**
 * Menu pictures on disk (`<dataDir>/pictures`): what an upload writes and what galleyd serves.
 * An SVG is stored as the sanitised document (sanitize-svg.ts), never as uploaded; a raster
 * picture must carry its format's signature (sniff.ts). Pictures stored before sanitising existed
 * are sanitised once at start, so an old upload cannot slip past the new wall.
 */
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Logger } from "../lib/logger.ts";
import { sanitizeSvg } from "./sanitize-svg.ts";
import { checkRasterPicture, isRasterKind } from "./sniff.ts";

/** Media types by file extension, for uploads and for serving. */
export const PICTURE_TYPES: Readonly<Record<string, string>> = {
  svg: "image/svg+xml",
  webp: "image/webp",
  png: "image/png",
  jpg: "image/jpeg",
};

export interface SavedPicture {
  name: string;
  type: string;
  bytes: number;
  /** What sanitising took out of an SVG (empty for a clean one and for raster pictures). */
  removed: readonly string[];
}

/** Checks, sanitises and writes (atomically) one uploaded picture; throws `picture_invalid` and writes nothing. */
export async function savePicture(dir: string, name: string, body: Buffer): Promise<SavedPicture> {
  const extension = name.split(".").pop() ?? "";
  let stored: Buffer = body;
  let removed: readonly string[] = [];
  if (extension === "svg") {
    const clean = sanitizeSvg(body);
    stored = Buffer.from(clean.svg, "utf8");
    removed = clean.removed;
  } else if (isRasterKind(extension)) {
    checkRasterPicture(extension, body);
  }
  await mkdir(dir, { recursive: true });
  const target = join(dir, name);
  await writeFile(`${target}.tmp`, stored);
  await rename(`${target}.tmp`, target);
  return { name, type: PICTURE_TYPES[extension] ?? "application/octet-stream", bytes: stored.length, removed };
}

/**
 * Sanitises every stored SVG again (idempotent: a clean one is left untouched). One that cannot be
 * made safe is renamed `<name>.refused`, so it is no longer served, and logged.
 */
export async function resanitizeStoredPictures(dir: string, log: Logger): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith(".svg"));
  } catch {
    return; // no pictures uploaded yet
  }
  for (const name of names) {
    const path = join(dir, name);
    const original = await readFile(path);
    try {
      const { svg, removed } = sanitizeSvg(original);
      if (removed.length === 0 && Buffer.from(svg, "utf8").equals(original)) continue;
      await writeFile(`${path}.tmp`, svg);
      await rename(`${path}.tmp`, path);
      if (removed.length > 0) log.warn({ picture: name, removed }, "a stored picture was sanitised");
    } catch (error) {
      await rename(path, `${path}.refused`);
      log.warn(
        { picture: name, err: error },
        "a stored picture is not a safe SVG; it is no longer served (renamed .refused)",
      );
    }
  }
}
