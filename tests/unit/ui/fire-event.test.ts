/** Typed custom events (ui/src/data/fire-event.ts): the detail, bubbling and composed, as the components' events always were. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { fireEvent, type GalleyDomEvent } from "../../../ui/src/data/fire-event.ts";

declare global {
  interface GalleyDomEvents {
    "test-ping": number;
    "test-bare": undefined;
  }
}

describe("fireEvent", () => {
  it("dispatches a bubbling, composed CustomEvent with the typed detail", () => {
    const target = new EventTarget();
    const heard: GalleyDomEvent<"test-ping">[] = [];
    target.addEventListener("test-ping", (event) => heard.push(event as GalleyDomEvent<"test-ping">));
    const fired = fireEvent(target, "test-ping", 42);
    assert.equal(heard.length, 1);
    assert.equal(heard[0], fired);
    assert.ok(fired instanceof CustomEvent);
    assert.deepEqual([fired.detail, fired.bubbles, fired.composed], [42, true, true]);
  });

  it("leaves the detail null for an event without one", () => {
    const fired = fireEvent(new EventTarget(), "test-bare");
    assert.equal(fired.detail, null);
  });

  it("checks names and details at compile time", () => {
    const target = new EventTarget();
    // @ts-expect-error the detail is a number
    fireEvent(target, "test-ping", "42");
    // @ts-expect-error the detail is required
    fireEvent(target, "test-ping");
    // @ts-expect-error no such event
    fireEvent(target, "test-unknown", 1);
    assert.ok(true);
  });
});
