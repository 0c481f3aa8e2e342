/**
 * The layering that eslint.config.js cannot see file by file: the import graph has no cycle
 * (type-only imports count: they tie files together just the same).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cycles, importGraph } from "./import-graph.ts";

describe("the import graph", () => {
  const graph = importGraph();

  it("is read from the whole repository", () => {
    assert.ok(graph.size > 300, `only ${graph.size} files found`);
    assert.ok(graph.get("appliance/app.ts")?.includes("appliance/http/server.ts"), "app.ts imports http/server.ts");
  });

  it("has no import cycle", () => {
    const found = cycles(graph);
    assert.deepEqual(found, [], `import cycles:\n${found.map((c) => `  ${c.join(" → ")}`).join("\n")}`);
  });

  it("finds a cycle when there is one", () => {
    const sample = new Map([
      ["a.ts", ["b.ts"]],
      ["b.ts", ["c.ts"]],
      ["c.ts", ["a.ts"]],
      ["d.ts", ["d.ts"]],
      ["e.ts", ["a.ts"]],
    ]);
    assert.deepEqual(cycles(sample).sort(), [["a.ts", "b.ts", "c.ts"], ["d.ts"]]);
  });
});
