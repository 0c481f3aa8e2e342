/**
 * Files that must survive a power cut whole: written beside their place, flushed, renamed over
 * it, and the folder flushed so the rename itself is on the card.
 */
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

/** Flushes a file or a folder to the disk. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Replaces `path` with `content` so that a power cut leaves the old file or the new one, never a mix. */
export function writeFileDurably(path: string, content: string, mode = 0o600): void {
  const temporary = `${path}.tmp-${process.pid}`;
  writeFileSync(temporary, content, { mode });
  fsyncPath(temporary);
  renameSync(temporary, path);
  fsyncPath(dirname(path));
}
