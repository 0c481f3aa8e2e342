import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * Where files that ship with galleyd (demo menu, built screens) live, whether it runs from the
 * source tree (appliance/lib/ → appliance/) or from the bundle (dist/ → appliance/).
 */
export function shippedPath(...parts: string[]): string {
  const here = import.meta.dirname;
  const candidates = [join(here, "..", ...parts), join(here, "..", "appliance", ...parts)];
  return candidates.find((path) => existsSync(path)) ?? candidates[0] ?? join(here, ...parts);
}
