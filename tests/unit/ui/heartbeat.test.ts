/**
 * The screens' page heartbeat and the ticker under it, with node:test's fake timers: a beat at
 * once and every 15 s while the screen has a token, none while it has not; a failing or hanging
 * beat never throws, never piles up, and the next one still goes; the page names no order; the
 * Lit controller starts and stops with its host. Last, one beat against a real galleyd shows up
 * in `GET /api/diagnostics/screens`.
 */
import assert from "node:assert/strict";
import { after, afterEach, before, beforeEach, describe, it, mock } from "node:test";
import { ApiClient, type FetchLike } from "../../../ui/src/data/api.ts";
import {
  createHeartbeat,
  HEARTBEAT_INTERVAL_MS,
  HEARTBEAT_TIMEOUT_MS,
  heartbeatPage,
} from "../../../ui/src/data/heartbeat.ts";
import { Ticker } from "../../../ui/src/data/ticker.ts";
import { HeartbeatController } from "../../../ui/src/controllers/heartbeat-controller.ts";
import { startTestApp, type TestApp } from "../../helpers/test-app.ts";

/** Lets promise callbacks run (setImmediate is not faked). */
const flush = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

interface Beat {
  url: string;
  body: unknown;
  authorization: string | undefined;
}

type Reply = "ok" | "fail" | "hang" | "unauthorized";

/** A fetch that answers each beat as `next()` says; a hanging one only ends when aborted. */
function fakeFetch(next: () => Reply): { fetch: FetchLike; beats: Beat[]; inFlight: () => number } {
  const beats: Beat[] = [];
  let inFlight = 0;
  const fetchLike: FetchLike = (url, init) => {
    beats.push({
      url,
      body: init.body === undefined ? undefined : JSON.parse(init.body),
      authorization: init.headers.authorization,
    });
    const reply = next();
    inFlight += 1;
    const done = <T>(value: T): T => {
      inFlight -= 1;
      return value;
    };
    if (reply === "fail") return Promise.reject(new TypeError("fetch failed")).finally(() => done(0));
    if (reply === "hang") {
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener("abort", () => {
          done(0);
          reject(new DOMException("aborted", "AbortError"));
        });
      });
    }
    const status = reply === "ok" ? 200 : 401;
    const text = reply === "ok" ? "{}" : JSON.stringify({ error: { code: "token_revoked", message: "revoked" } });
    return Promise.resolve(
      done({ status, ok: status === 200, text: () => Promise.resolve(text), headers: { get: () => null } }),
    );
  };
  return { fetch: fetchLike, beats, inFlight: () => inFlight };
}

describe("ticker", () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ["setInterval", "setTimeout"] });
  });
  afterEach(() => {
    mock.timers.reset();
  });

  it("runs at once and then every interval, until stopped", async () => {
    let runs = 0;
    const ticker = new Ticker({ intervalMs: 1_000, run: () => Promise.resolve((runs += 1)) });
    ticker.start();
    ticker.start();
    await flush();
    assert.equal(runs, 1, "once at start, and a second start does nothing");
    mock.timers.tick(1_000);
    await flush();
    mock.timers.tick(1_000);
    await flush();
    assert.equal(runs, 3);
    ticker.stop();
    mock.timers.tick(5_000);
    await flush();
    assert.equal(runs, 3);
    assert.equal(ticker.started, false);
  });

  it("skips the ticks `when` refuses, and never runs twice at once", async () => {
    let allowed = false;
    let release: (() => void) | undefined;
    let runs = 0;
    const ticker = new Ticker({
      intervalMs: 100,
      when: () => allowed,
      run: () => {
        runs += 1;
        return new Promise<void>((resolve) => (release = resolve));
      },
    });
    ticker.start();
    mock.timers.tick(300);
    await flush();
    assert.equal(runs, 0);
    allowed = true;
    mock.timers.tick(100);
    await flush();
    mock.timers.tick(500);
    await flush();
    assert.equal(runs, 1, "a run still under way swallows the ticks");
    const manual = ticker.tick();
    release?.();
    await manual;
    mock.timers.tick(100);
    await flush();
    assert.equal(runs, 2);
    ticker.stop();
  });

  it("never throws: failures are counted and reported, the next tick tries again", async () => {
    const errors: unknown[] = [];
    let fail = true;
    const ticker = new Ticker({
      intervalMs: 100,
      run: () => {
        if (fail) throw new Error("synchronous failure");
        return Promise.resolve();
      },
      onError: (error) => {
        errors.push(error);
        throw new Error("a broken error handler");
      },
    });
    ticker.start();
    await flush();
    mock.timers.tick(100);
    await flush();
    assert.equal(ticker.failures, 2);
    assert.equal(errors.length, 2);
    fail = false;
    mock.timers.tick(100);
    await flush();
    assert.equal(ticker.failures, 0);
    assert.equal(ticker.runs, 3);
    ticker.stop();
  });
});

describe("page heartbeat", () => {
  beforeEach(() => {
    mock.timers.enable({ apis: ["setInterval", "setTimeout"] });
  });
  afterEach(() => {
    mock.timers.reset();
  });

  const client = (fetchLike: FetchLike, onUnauthorized?: () => void) =>
    new ApiClient({
      baseUrl: "http://galley.test",
      fetch: fetchLike,
      token: () => "device-token",
      ...(onUnauthorized ? { onUnauthorized } : {}),
    });

  it("beats at once and every 15 s with the page, only while the screen has a token", async () => {
    const fake = fakeFetch(() => "ok");
    let paired = false;
    const heartbeat = createHeartbeat({
      api: client(fake.fetch),
      page: "/kitchen?station=grill",
      active: () => paired,
    });
    heartbeat.start();
    await flush();
    assert.equal(fake.beats.length, 0, "no beat before the screen is paired");
    paired = true;
    await heartbeat.tick();
    assert.equal(fake.beats.length, 1, "a beat as soon as it is asked for");
    for (let i = 0; i < 4; i += 1) {
      mock.timers.tick(HEARTBEAT_INTERVAL_MS);
      await flush();
    }
    assert.equal(fake.beats.length, 5);
    assert.deepEqual(fake.beats[0], {
      url: "http://galley.test/api/diagnostics/heartbeat",
      body: { page: "/kitchen?station=grill" },
      authorization: "Bearer device-token",
    });
    mock.timers.tick(HEARTBEAT_INTERVAL_MS - 1);
    await flush();
    assert.equal(fake.beats.length, 5, "not before the interval is up");
    paired = false;
    mock.timers.tick(HEARTBEAT_INTERVAL_MS * 3);
    await flush();
    assert.equal(fake.beats.length, 5, "none while unpaired");
    heartbeat.stop();
  });

  it("a failed beat surfaces nowhere and the next one goes; a hanging one is given up after 5 s and nothing piles up", async () => {
    const replies: Reply[] = ["fail", "hang", "ok"];
    const fake = fakeFetch(() => replies.shift() ?? "ok");
    const heartbeat = createHeartbeat({ api: client(fake.fetch), page: "/kiosk", active: () => true });
    heartbeat.start();
    await flush();
    assert.equal(heartbeat.failures, 1, "the first beat failed, quietly");
    mock.timers.tick(HEARTBEAT_INTERVAL_MS);
    await flush();
    assert.equal(fake.inFlight(), 1, "the second beat hangs");
    mock.timers.tick(HEARTBEAT_TIMEOUT_MS - 1);
    await flush();
    assert.equal(fake.inFlight(), 1);
    mock.timers.tick(1);
    await flush();
    assert.equal(fake.inFlight(), 0, "given up at the timeout");
    assert.equal(heartbeat.failures, 2);
    mock.timers.tick(HEARTBEAT_INTERVAL_MS - HEARTBEAT_TIMEOUT_MS);
    await flush();
    assert.equal(fake.beats.length, 3);
    assert.equal(heartbeat.failures, 0, "and the next beat went through");
    heartbeat.stop();
  });

  it("a beat still under way when the next tick comes is not doubled", async () => {
    const fake = fakeFetch(() => "hang");
    const heartbeat = createHeartbeat({
      api: client(fake.fetch),
      page: "/board",
      active: () => true,
      intervalMs: 1_000,
    });
    heartbeat.start();
    await flush();
    mock.timers.tick(1_000);
    await flush();
    mock.timers.tick(1_000);
    await flush();
    assert.equal(fake.beats.length, 1, "one beat in flight, ticks skipped");
    heartbeat.stop();
    mock.timers.tick(HEARTBEAT_TIMEOUT_MS);
    await flush();
  });

  it("names the page without anything from the query but the kitchen's station", () => {
    assert.equal(
      heartbeatPage({ pathname: "/kiosk", search: "?order=0190a0b2-7c1e-7000-8000-000000000001&lang=de" }),
      "/kiosk",
    );
    assert.equal(heartbeatPage({ pathname: "/kitchen", search: "?station=grill&sound=off" }), "/kitchen?station=grill");
    assert.equal(heartbeatPage({ pathname: "/board", search: "" }), "/board");
    assert.equal(heartbeatPage({ pathname: `/${"x".repeat(300)}`, search: "" }).length, 200);
  });

  it("the controller beats while its host is connected", async () => {
    const fake = fakeFetch(() => "ok");
    const controllers: { hostConnected?: () => void; hostDisconnected?: () => void }[] = [];
    const host = {
      addController: (c: (typeof controllers)[number]) => controllers.push(c),
      removeController: () => undefined,
      requestUpdate: () => undefined,
      updateComplete: Promise.resolve(true),
    };
    const controller = new HeartbeatController(host, { api: client(fake.fetch), page: "/admin", active: () => true });
    assert.equal(controllers.length, 1);
    controllers[0]?.hostConnected?.();
    await flush();
    controller.beat();
    await flush();
    mock.timers.tick(HEARTBEAT_INTERVAL_MS);
    await flush();
    controllers[0]?.hostDisconnected?.();
    mock.timers.tick(HEARTBEAT_INTERVAL_MS * 2);
    await flush();
    assert.equal(fake.beats.length, 3, "at connect, on demand, one interval; none after disconnect");
  });
});

describe("page heartbeat against galleyd", () => {
  let app: TestApp;
  before(async () => {
    app = await startTestApp();
  });
  after(() => app.stop());

  it("a kiosk's beat is listed by /api/diagnostics/screens as a local heartbeat of its page", async () => {
    const token = await app.tokenFor("kiosk");
    const api = new ApiClient({ baseUrl: app.url, fetch: (url, init) => fetch(url, init), token: () => token });
    const heartbeat = createHeartbeat({
      api,
      page: heartbeatPage({ pathname: "/kiosk", search: "?order=x" }),
      active: () => true,
    });
    await heartbeat.tick();
    assert.equal(heartbeat.failures, 0);
    const screens = await app.api<{ heartbeats: { role: string; page: string; local: boolean; count: number }[] }>(
      "GET",
      "/api/diagnostics/screens",
      { token: app.adminToken },
    );
    assert.deepEqual(
      screens.body.heartbeats.map((h) => [h.role, h.page, h.local, h.count]),
      [["kiosk", "/kiosk", true, 1]],
    );
  });
});
