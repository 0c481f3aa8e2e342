/**
 * The admin page's data logic, pure: which views and cards each role gets (from the real role
 * table), the doctor's verdicts, connected screens merged with their heartbeats, log lines from
 * galleyd's ring and from the system journal with a level filter, the pole display's 2×20 cells,
 * download names and sizes, and the sync backlog in words as galleyd phrases it.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { BackupStats, JournalBackupView, SyncStatus, SyncTargetStatus } from "../../../protocol/schemas/index.ts";
import { ROLE_PERMISSIONS } from "../../../protocol/core/permissions.ts";
import { adminAccess, adminViews, viewFromHash } from "../../../ui/src/data/admin-access.ts";
import {
  displayCells,
  downloadName,
  filterLogs,
  formatBytes,
  parseLogLine,
  screenRows,
  verdictCounts,
  type DoctorCheck,
} from "../../../ui/src/data/diagnostics.ts";
import {
  attentionKey,
  backlogText,
  backupFigures,
  journalBackupsNewestFirst,
  oldestAgeSeconds,
  pendingTotal,
  targetsWithDead,
  targetTone,
} from "../../../ui/src/data/sync-status.ts";
import { translator } from "../../../ui/src/i18n/index.ts";
import "../../../ui/src/i18n/screens/admin.ts";

describe("admin access by role", () => {
  it("technicians and admins get every view and card; a manager all but pairing; a cashier and kitchen staff the printers", () => {
    for (const role of ["technician", "admin"] as const) {
      const access = adminAccess(ROLE_PERMISSIONS[role]);
      assert.deepEqual(adminViews(access), ["devices", "diagnostics", "sync"], role);
      assert.ok(Object.values(access).every(Boolean), `${role} may use everything`);
    }
    const manager = adminAccess(ROLE_PERMISSIONS.manager);
    assert.deepEqual(adminViews(manager), ["devices", "diagnostics", "sync"]);
    assert.equal(manager.pair, false, "managers do not pair screens");
    assert.equal(manager.deviceTests && manager.diagnostics && manager.syncManage && manager.backupsManage, true);
    for (const role of ["cashier", "kitchen"] as const) {
      const access = adminAccess(ROLE_PERMISSIONS[role]);
      assert.deepEqual(adminViews(access), ["devices"], role);
      assert.deepEqual(
        [access.devices, access.printJobs, access.diagnostics, access.syncRead, access.pair],
        [true, true, false, false, false],
        role,
      );
    }
  });

  it("the hash picks a view the role may use, else the first", () => {
    assert.equal(viewFromHash("#sync", ["devices", "diagnostics", "sync"]), "sync");
    assert.equal(viewFromHash("#diagnostics", ["devices"]), "devices");
    assert.equal(viewFromHash("", ["devices", "diagnostics"]), "devices");
    assert.equal(viewFromHash("#nonsense", []), "devices");
  });
});

describe("doctor and screens", () => {
  it("counts verdicts", () => {
    const check = (verdict: DoctorCheck["verdict"]): DoctorCheck => ({
      id: verdict,
      title: verdict,
      verdict,
      summary: "",
      durationMs: 1,
    });
    assert.deepEqual(verdictCounts([check("ok"), check("ok"), check("warn"), check("unavailable")]), {
      ok: 2,
      warn: 1,
      fail: 0,
      unavailable: 1,
    });
  });

  it("merges sockets into heartbeats per screen; stale pages first, then beating ones, then sockets without a heartbeat", () => {
    const rows = screenRows({
      connected: [
        { name: "Pass", role: "kitchen", kind: "device", topics: ["kitchen"] },
        { name: "Pass", role: "kitchen", kind: "device", topics: ["devices"] },
        { name: "Administrator", role: "admin", kind: "user", topics: ["devices", "sync"] },
      ],
      heartbeats: [
        {
          name: "Pass",
          role: "kitchen",
          kind: "device",
          local: true,
          page: "/kitchen",
          lastAt: "2026-11-25T12:00:00.000Z",
          ageSeconds: 4,
          count: 9,
        },
        {
          name: "Wall",
          role: "board",
          kind: "device",
          local: false,
          page: "/board",
          lastAt: "2026-11-25T11:58:00.000Z",
          ageSeconds: 120,
          count: 30,
        },
      ],
    });
    assert.deepEqual(
      rows.map((r) => [r.name, r.sockets, r.topics.join(","), r.page, r.lastBeatSeconds, r.stale, r.local]),
      [
        ["Wall", 0, "", "/board", 120, true, false],
        ["Pass", 2, "kitchen,devices", "/kitchen", 4, false, true],
        ["Administrator", 1, "devices,sync", null, null, false, false],
      ],
    );
  });
});

describe("log lines", () => {
  const ring =
    '{"level":"warn","time":"2026-11-25T12:03:07.123Z","pid":812,"hostname":"vm","module":"devices","printer":"counter","msg":"printer offline"}';
  const journal =
    '2026-11-25T13:03:08.500000+0100 galley-store-12 galleyd[812]: {"level":50,"time":1795003388500,"module":"sync","target":"central","msg":"batch refused"}';

  it("reads galleyd's JSON lines, from the ring and from the system journal, and plain text as it is", () => {
    assert.deepEqual(parseLogLine(ring), {
      raw: ring,
      time: "2026-11-25T12:03:07.123Z",
      level: "warn",
      text: "devices: printer offline printer=counter",
    });
    const fromJournal = parseLogLine(journal);
    assert.deepEqual(
      [fromJournal.level, fromJournal.time, fromJournal.text],
      ["error", new Date(1795003388500).toISOString(), "sync: batch refused target=central"],
    );
    const plain = parseLogLine(
      "2026-11-25T13:00:00.000000+0100 galley-store-12 systemd[1]: Started galleyd.service - Galley.",
    );
    assert.deepEqual(
      [plain.level, plain.time, plain.text],
      [undefined, "2026-11-25T13:00:00.000000+0100", "Started galleyd.service - Galley."],
    );
    assert.deepEqual(parseLogLine("{not json").text, "{not json");
    assert.equal(parseLogLine('{"level":"info","msg":"x","details":{"a":[1,2]}}').text, 'x details={"a":[1,2]}');
  });

  it("filters by level, keeping the order (newest last); lines without a level count as info", () => {
    const lines = [
      ring,
      journal,
      "plain text",
      '{"level":"debug","msg":"chatter"}',
      '{"level":"fatal","msg":"gone"}',
    ].map(parseLogLine);
    const texts = (filter: Parameters<typeof filterLogs>[1]) => filterLogs(lines, filter).map((l) => l.text);
    assert.equal(texts("all").length, 5);
    assert.deepEqual(texts("info"), [
      "devices: printer offline printer=counter",
      "sync: batch refused target=central",
      "plain text",
      "gone",
    ]);
    assert.deepEqual(texts("warn"), [
      "devices: printer offline printer=counter",
      "sync: batch refused target=central",
      "gone",
    ]);
    assert.deepEqual(texts("error"), ["sync: batch refused target=central", "gone"]);
  });
});

describe("devices and downloads", () => {
  it("gives the pole display's 2×20 cells, padded and cut", () => {
    const cells = displayCells(["GALLEY DISPLAY TEST ", "0123456789ABCDEFGHIJKLMN"]);
    assert.equal(cells.length, 2);
    assert.ok(cells.every((row) => row.length === 20));
    assert.equal(cells[0]?.join(""), "GALLEY DISPLAY TEST ");
    assert.equal(cells[1]?.join(""), "0123456789ABCDEFGHIJ");
    assert.equal(displayCells(["Hi"])[1]?.join(""), " ".repeat(20));
  });

  it("takes the download's name from Content-Disposition, safely", () => {
    assert.equal(
      downloadName('attachment; filename="galley-support-vm-20261125T191339Z.tar.gz"', "x"),
      "galley-support-vm-20261125T191339Z.tar.gz",
    );
    assert.equal(downloadName('attachment; filename="../../etc/passwd"', "fallback.tar.gz"), "fallback.tar.gz");
    assert.equal(downloadName(null, "fallback.tar.gz"), "fallback.tar.gz");
  });

  it("writes sizes as people read them", () => {
    assert.deepEqual(
      [formatBytes(900), formatBytes(4_428), formatBytes(37 * 1_024 * 1_024), formatBytes(150 * 1_024)],
      ["900 B", "4.3 KB", "37.0 MB", "150 KB"],
    );
  });
});

describe("sync backlog", () => {
  const target = (fields: Partial<SyncTargetStatus>): SyncTargetStatus => ({
    target: "central",
    state: "active",
    blocked: false,
    blockedReason: null,
    online: true,
    pending: 0,
    pendingItems: 0,
    oldestPendingAt: null,
    oldestAgeSeconds: 0,
    dead: 0,
    needsLookup: 0,
    lastSuccessAt: null,
    lastError: null,
    consecutiveFailures: 0,
    message: "",
    ...fields,
  });
  const t = translator("en");

  it("says it as galleyd does, and keeps the oldest order ageing between pushes", () => {
    const two = target({ pending: 2, oldestAgeSeconds: 30 });
    assert.equal(
      backlogText(t, two, 1_000, 1_000),
      "2 orders not yet upstream, oldest 0 min",
      "galleyd's own message for the same backlog (tests/integration/sync/api.test.ts)",
    );
    assert.equal(
      backlogText(t, target({ pending: 1, oldestAgeSeconds: 59 }), 0, 12 * 60_000),
      "1 order not yet upstream, oldest 12 min",
    );
    assert.equal(oldestAgeSeconds(two, 1_000, 1_000 + 90_500), 120);
    assert.equal(
      oldestAgeSeconds(two, 5_000, 1_000),
      30,
      "a clock going back does not make it younger than galleyd said",
    );
    assert.equal(backlogText(t, target({}), 0, 0), "Everything is upstream");
    assert.equal(
      translator("de")("sync.backlog", { count: 3, minutes: 4 }),
      "3 Bestellungen noch nicht übertragen, älteste 4 min",
    );
  });

  it("looks worried as the doctor does: WARN after 15 min, offline or dead items; FAIL when blocked or a day old", () => {
    assert.equal(targetTone(target({ pending: 1, oldestAgeSeconds: 60 }), 0, 0), "ok");
    assert.equal(targetTone(target({ pending: 1, oldestAgeSeconds: 60 }), 0, 15 * 60_000), "warn");
    assert.equal(targetTone(target({ online: false }), 0, 0), "warn");
    assert.equal(targetTone(target({ dead: 1 }), 0, 0), "warn");
    assert.equal(targetTone(target({ state: "blocked", blocked: true }), 0, 0), "bad");
    assert.equal(targetTone(target({ pending: 1, oldestAgeSeconds: 86_401 }), 0, 0), "bad");
    assert.equal(targetTone(target({ state: "disconnected", pending: 3, oldestAgeSeconds: 90_000 }), 0, 0), "off");
  });

  it("knows which targets hold dead items and when the lists need reading again", () => {
    const status: SyncStatus = {
      at: "",
      targets: [target({ dead: 2 }), target({ target: "square", pending: 4 })],
      openNotifications: 1,
      summary: "",
    };
    assert.deepEqual(targetsWithDead(status), ["central"]);
    assert.equal(pendingTotal(status), 4);
    assert.equal(pendingTotal(undefined), 0);
    const moved = { ...status, targets: [target({ dead: 2, pending: 9 }), target({ target: "square", pending: 5 })] };
    assert.equal(attentionKey(moved), attentionKey(status), "a moving backlog does not reload the dead items");
    assert.notEqual(attentionKey({ ...status, openNotifications: 2 }), attentionKey(status));
  });

  it("lists journal backups newest first without deleted ones, and order-backup figures in reading order", () => {
    const backup = (id: number, createdAt: string, state: JournalBackupView["state"] = "ready"): JournalBackupView => ({
      id,
      file: `/b/${id}`,
      state,
      trigger: null,
      createdAt,
      sizeBytes: 1,
      sha256: null,
      seq: id,
      integrity: "ok",
      clockSynced: true,
      error: null,
      deletedAt: null,
    });
    const sorted = journalBackupsNewestFirst([
      backup(1, "2026-11-24T10:00:00Z"),
      backup(3, "2026-11-25T10:00:00Z"),
      backup(2, "2026-11-24T16:00:00Z", "deleted"),
    ]);
    assert.deepEqual(
      sorted.map((b) => b.id),
      [3, 1],
    );
    const counts = {
      total: 10,
      backup: 1,
      synced: 2,
      verified: 5,
      missing: 1,
      imported: 1,
      duplicate: 0,
      error: 0,
      amount: 0,
      successRate: 60,
    };
    const stats: BackupStats = { overall: counts, orders: 10, days: [] };
    assert.deepEqual(
      backupFigures(stats).map((f) => [f.key, f.value, f.alert]),
      [
        ["total", 10, false],
        ["local", 1, false],
        ["synced", 2, false],
        ["verified", 6, false],
        ["missing", 1, true],
        ["error", 0, false],
      ],
    );
  });
});
