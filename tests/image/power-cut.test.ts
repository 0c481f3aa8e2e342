/**
 * `npm run test:image`: power cuts while orders are being acknowledged. The amd64 image runs
 * under QEMU; the test places orders one after another (each acknowledged only after COMMIT
 * with synchronous=FULL) and kills QEMU mid-stream — the guest's power loss. After each reboot
 * every acknowledged order must be there and the journal's integrity check must pass.
 * GALLEY_POWERCUT_CYCLES (default 2) sets the number of cuts.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashPin } from "../../appliance/commands/pins.ts";
import { smallMenu } from "../fixtures/small-menu.ts";
import { api, buildImage, cannotRun, kitchenScreen, prepareDisk, startVm, waitForGalleyd, type Vm } from "./qemu.ts";

const reason = cannotRun();
const work = mkdtempSync(join(tmpdir(), "galley-powercut-"));
const PIN = "86420";
const CYCLES = Number(process.env.GALLEY_POWERCUT_CYCLES ?? 2);
let vm: Vm | undefined;

async function signIn(url: string): Promise<string> {
  const login = await api<{ token: string }>(url, "POST", "/api/auth/login", { body: { pin: PIN } });
  assert.equal(login.status, 200, JSON.stringify(login.body));
  return login.body.token;
}

describe("power cut while orders are acknowledged", { skip: reason ? `image tests skipped: ${reason}` : false }, () => {
  const disk = join(work, "disk.img");
  before(async () => {
    buildImage();
    const setup = join(work, "galley-setup.json");
    writeFileSync(
      setup,
      JSON.stringify({ name: "galley-powercut", display: "none", adminPinHash: await hashPin(PIN) }),
    );
    prepareDisk(disk, { growMiB: 256, setupFile: setup });
  });
  after(async () => {
    await vm?.cut();
    rmSync(work, { recursive: true, force: true });
  });

  it(`keeps every acknowledged order through ${CYCLES} power cuts, with a clean integrity check`, async () => {
    const acked: string[] = [];
    vm = startVm(disk, 18_092, join(work, "serial.log"));
    await waitForGalleyd(vm.url, vm.child);
    let token = await signIn(vm.url);
    const menu = await api(vm.url, "PUT", "/api/menu", { token, body: smallMenu() });
    assert.ok(menu.status === 200 || menu.status === 201, JSON.stringify(menu.body));

    for (let cycle = 1; cycle <= CYCLES; cycle += 1) {
      const current: Vm = vm;
      const kitchen = await kitchenScreen(current.url, token);
      const state = { stop: false };
      // A function, not the flag itself: the cut flips it while an order is in flight.
      const stopped = (): boolean => state.stop;
      let inCycle = 0;
      const writer = (async () => {
        // Bounded: stops at the cut, or after 2,000 orders.
        for (let n = 0; n < 2_000 && !stopped(); n += 1) {
          const id = randomUUID();
          try {
            const res = await api(current.url, "POST", "/api/orders", {
              token,
              body: { id, items: [{ menuItemId: "fries", quantity: 1 }] },
              headers: { "idempotency-key": id },
              timeoutMs: 20_000,
            });
            if (res.status === 201) {
              acked.push(id);
              inCycle += 1;
            } else if (!stopped()) throw new Error(`order refused: ${res.status} ${JSON.stringify(res.body)}`);
          } catch (error) {
            if (stopped()) return;
            throw error;
          }
        }
      })();
      // Cut the power at an arbitrary moment once this cycle has acknowledged some orders.
      const cutAfterMs = 2_000 + Math.floor(Math.random() * 3_000);
      const started = Date.now();
      while ((inCycle < 5 || Date.now() - started < cutAfterMs) && Date.now() - started < 120_000)
        await new Promise((r) => setTimeout(r, 100));
      state.stop = true;
      await current.cut();
      kitchen.terminate();
      await writer;
      process.stdout.write(
        `# cycle ${cycle}: power cut after ${inCycle} acknowledged orders (${acked.length} in all)\n`,
      );
      assert.ok(inCycle >= 5, "orders were being acknowledged when the power went");

      vm = startVm(disk, 18_092, join(work, "serial.log"));
      const seconds = await waitForGalleyd(vm.url, vm.child);
      process.stdout.write(`# cycle ${cycle}: reboot to ping ${seconds.toFixed(0)} s\n`);
      token = await signIn(vm.url);
      const journal = await api<{ integrity: string[]; orders: number; synchronous: string }>(
        vm.url,
        "GET",
        "/api/diagnostics/journal",
        { token },
      );
      assert.deepEqual(journal.body.integrity, ["ok"]);
      assert.equal(journal.body.synchronous, "FULL");
      assert.ok(
        journal.body.orders >= acked.length,
        `${journal.body.orders} orders in the journal, ${acked.length} acknowledged`,
      );
      const missing: string[] = [];
      for (const id of acked) {
        const res = await api(vm.url, "GET", `/api/orders/${id}`, { token });
        if (res.status !== 200) missing.push(id);
      }
      assert.deepEqual(missing, [], `acknowledged orders lost in cycle ${cycle}`);
    }
  });
});
