import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { DRIVER_ERROR_CODES, DriverError, isDriverError } from "../../../drivers/index.ts";

it("drivers/README.md documents exactly the DriverError codes", () => {
  const readme = readFileSync(new URL("../../../drivers/README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Error codes"));
  const documented = [...section.matchAll(/^\| `([a-z_]+)` \| (.+) \|$/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    documented.map(([code]) => code),
    Object.keys(DRIVER_ERROR_CODES),
  );
  for (const [code, meaning] of documented)
    assert.equal(meaning, DRIVER_ERROR_CODES[code as keyof typeof DRIVER_ERROR_CODES]);
});

it("DriverError keeps its code and cause", () => {
  const cause = new Error("ECONNREFUSED");
  const error = new DriverError("open_failed", "cannot connect", { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.code, "open_failed");
  assert.equal(error.cause, cause);
  assert.ok(isDriverError(error, "open_failed"));
  assert.ok(!isDriverError(error, "closed"));
});
