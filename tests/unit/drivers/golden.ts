import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

/** Compares `actual` with the golden file; `UPDATE_GOLDEN=1` rewrites it instead. */
export function assertGolden(path: URL, actual: string): void {
  if (process.env.UPDATE_GOLDEN === "1" || !existsSync(path)) {
    if (process.env.CI === "true" && !existsSync(path)) assert.fail(`golden file missing: ${path.pathname}`);
    writeFileSync(path, actual);
    return;
  }
  assert.equal(actual, readFileSync(path, "utf8"), `differs from ${path.pathname} (UPDATE_GOLDEN=1 to accept)`);
}
