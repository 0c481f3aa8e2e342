/** Field diagnostics over HTTP (`/api/diagnostics/*`): the doctor's checks, screens, logs. */
import { Type, type Static } from "typebox";
import { Text } from "./text.ts";

/** ok: fine. warn: works but needs attention. fail: broken. unavailable: could not be checked here. */
export const Verdict = Type.Enum(["ok", "warn", "fail", "unavailable"]);
export type Verdict = Static<typeof Verdict>;

export const DoctorCheck = Type.Object({
  /** Stable id (`service`, `journal`, `devices.printer-1`, …): docs/technician.md explains each. */
  id: Type.String(),
  title: Type.String(),
  verdict: Verdict,
  /** One human line: what was found. */
  summary: Type.String(),
  /** What to do when the verdict is not ok. */
  hint: Type.Optional(Type.String()),
  details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  durationMs: Type.Integer(),
});
export type DoctorCheck = Static<typeof DoctorCheck>;

/** `GET /api/diagnostics/doctor`. */
export const DoctorReport = Type.Object({
  /** fail if any check failed, else warn if any warned, else ok. */
  verdict: Type.Enum(["ok", "warn", "fail"]),
  at: Type.String({ format: "date-time" }),
  host: Type.String(),
  version: Type.String(),
  durationMs: Type.Integer(),
  checks: Type.Array(DoctorCheck),
});
export type DoctorReport = Static<typeof DoctorReport>;

export const ConnectedClient = Type.Object({
  name: Type.String(),
  role: Type.String(),
  kind: Type.String(),
  topics: Type.Array(Type.String()),
});
export type ConnectedClient = Static<typeof ConnectedClient>;

export const ScreenHeartbeat = Type.Object({
  name: Type.String(),
  role: Type.String(),
  kind: Type.String(),
  /** Sent over loopback: the board's own display. */
  local: Type.Boolean(),
  page: Type.Union([Type.String(), Type.Null()]),
  lastAt: Type.String({ format: "date-time" }),
  ageSeconds: Type.Integer(),
  count: Type.Integer(),
});
export type ScreenHeartbeat = Static<typeof ScreenHeartbeat>;

/** `GET /api/diagnostics/screens`. */
export const ScreensReport = Type.Object({
  connected: Type.Array(ConnectedClient),
  heartbeats: Type.Array(ScreenHeartbeat),
});
export type ScreensReport = Static<typeof ScreensReport>;

/** `POST /api/diagnostics/heartbeat`. */
export const HeartbeatBody = Type.Object(
  { page: Type.Optional(Text({ maxLength: 200 })) },
  { additionalProperties: false },
);

/** `GET /api/diagnostics/logs`. */
export const LogsReply = Type.Object({
  /** `journal`: the system journal (the board); `memory`: galleyd's own ring of recent lines. */
  source: Type.Enum(["journal", "memory"]),
  lines: Type.Array(Type.String()),
});
export type LogsReply = Static<typeof LogsReply>;

/** `GET /api/diagnostics/ping`: liveness. */
export const Ping = Type.Object({
  ok: Type.Literal(true),
  service: Type.Literal("galleyd"),
  version: Type.String(),
  mode: Type.String(),
  uptimeSeconds: Type.Number(),
  seq: Type.Integer(),
  instanceId: Type.String(),
  time: Type.String({ format: "date-time" }),
});

/** `GET /api/diagnostics/journal`. */
export const JournalHealth = Type.Object({
  path: Type.String(),
  schemaVersion: Type.Integer(),
  seq: Type.Integer(),
  orders: Type.Integer(),
  sizeBytes: Type.Integer(),
  journalMode: Type.String(),
  synchronous: Type.String(),
  integrity: Type.Array(Type.String()),
});

/** What galleyd tells the diagnostics routes: the ping, and the journal's health on demand. */
export type DiagnosticsInfo = Static<typeof Ping> & { journal: () => Static<typeof JournalHealth> };
