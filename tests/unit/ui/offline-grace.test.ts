/** The kiosk's offline grace: a blink of the push connection is not "offline"; a long drop is. */
import assert from "node:assert/strict";
import { describe, it, mock } from "node:test";
import type { ReactiveController } from "lit";
import { OfflineGrace } from "../../../ui/src/controllers/offline-grace.ts";

function fakeHost() {
  const controllers: ReactiveController[] = [];
  let updates = 0;
  const host = {
    addController: (c: ReactiveController) => controllers.push(c),
    removeController: () => undefined,
    requestUpdate: () => {
      updates += 1;
    },
    updateComplete: Promise.resolve(true),
  };
  return { host, controllers, updates: () => updates };
}

describe("offline grace", () => {
  it("counts a drop as offline only after the grace, from the first drop; online clears it at once", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    try {
      const { host, controllers } = fakeHost();
      const grace = new OfflineGrace(host, 2_500);
      assert.equal(controllers.length, 1);
      grace.update("offline");
      mock.timers.tick(1_500);
      grace.update("connecting");
      mock.timers.tick(999);
      assert.equal(grace.offline, false);
      mock.timers.tick(1);
      assert.equal(grace.offline, true);
      assert.equal(grace.connection, "connecting");
      grace.update("online");
      assert.equal(grace.offline, false);
      grace.update("offline");
      grace.update("online");
      mock.timers.tick(5_000);
      assert.equal(grace.offline, false, "back online within the grace");
    } finally {
      mock.timers.reset();
    }
  });

  it("a failed request marks offline at once and re-renders its host", () => {
    const { host, updates } = fakeHost();
    const grace = new OfflineGrace(host, 2_500);
    grace.markOffline();
    assert.equal(grace.offline, true);
    assert.equal(updates(), 1);
  });
});
