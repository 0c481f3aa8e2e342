/** The API calls the screens make, typed with the shared protocol (README "HTTP API"). */
import type {
  BackupStats,
  CommitSessionBody,
  DevicesStatus,
  DeviceView,
  DisplayStatusView,
  DrawerStatusView,
  HistoryEntry,
  JournalBackupView,
  LineInput,
  LinePatch,
  MenuResponse,
  NotificationView,
  OrderStatus,
  OrderView,
  PairingCodeResponse,
  Principal,
  ScreenRole,
  PrintJobState,
  PrintJobView,
  SessionView,
  SyncStatus,
  TargetName,
  TokenResponse,
} from "../../../protocol/index.ts";
import type { ApiClient } from "./api.ts";
import { downloadName, type DoctorReport, type LogsReply, type ScreensReport } from "./diagnostics.ts";

/** `GET /api/diagnostics/ping` (public): liveness, mode and the appliance's clock. */
export interface PingInfo {
  ok: true;
  version: string;
  mode: string;
  seq: number;
  instanceId: string;
  time: string;
}

export function fetchPing(api: ApiClient): Promise<PingInfo> {
  return api.request<PingInfo>("GET", "/api/diagnostics/ping", { anonymous: true, timeoutMs: 4_000 });
}

export function fetchMe(api: ApiClient): Promise<Principal> {
  return api.request<Principal>("GET", "/api/auth/me", { timeoutMs: 4_000 });
}

/** Development mode, loopback only: a screen on this machine pairs itself. */
export function createDevPairing(api: ApiClient, role: ScreenRole, name?: string): Promise<TokenResponse> {
  return api.request<TokenResponse>("POST", "/api/devices/dev-pair", {
    anonymous: true,
    body: { role, ...(name ? { name } : {}) },
  });
}

/** Exchanges a pairing code typed on the screen for a device token. */
export function createPairing(api: ApiClient, code: string): Promise<TokenResponse> {
  return api.request<TokenResponse>("POST", "/api/devices/pair", { anonymous: true, body: { code } });
}

export function createSignIn(api: ApiClient, pin: string): Promise<TokenResponse> {
  return api.request<TokenResponse>("POST", "/api/auth/login", { anonymous: true, body: { pin } });
}

export async function createSignOut(api: ApiClient): Promise<void> {
  await api.request<null>("POST", "/api/auth/logout");
}

export async function fetchDevices(api: ApiClient): Promise<DeviceView[]> {
  return (await api.request<{ devices: DeviceView[] }>("GET", "/api/devices")).devices;
}

export async function updateDeviceRevoked(api: ApiClient, id: string): Promise<void> {
  await api.request<null>("POST", `/api/devices/${encodeURIComponent(id)}/revoke`);
}

export function createPairingCode(api: ApiClient, role: ScreenRole, name: string): Promise<PairingCodeResponse> {
  return api.request<PairingCodeResponse>("POST", "/api/devices/pairing-codes", { body: { role, name } });
}

export function fetchMenu(api: ApiClient): Promise<MenuResponse> {
  return api.request<MenuResponse>("GET", "/api/menu");
}

export interface PlacedOrder {
  order: OrderView;
  /** The appliance had already stored this order: a retry got the stored reply. */
  replayed: boolean;
}

// ---- cart sessions (README "Carts") ---------------------------------------------------------------

const session = (id: string) => `/api/sessions/${encodeURIComponent(id)}`;

/** `POST /api/sessions`: the caller's open cart, or a new one. */
export function createSession(api: ApiClient): Promise<SessionView> {
  return api.request<SessionView>("POST", "/api/sessions", { body: {} });
}

/** `GET /api/sessions/current`: the caller's open cart (404 `session_not_found` when there is none). */
export function fetchCurrentSession(api: ApiClient): Promise<SessionView> {
  return api.request<SessionView>("GET", "/api/sessions/current");
}

export function fetchSession(api: ApiClient, id: string): Promise<SessionView> {
  return api.request<SessionView>("GET", session(id));
}

/** Adds a line; the appliance prices it and holds stock for it. */
export function createSessionLine(api: ApiClient, id: string, line: LineInput): Promise<SessionView> {
  return api.request<SessionView>("POST", `${session(id)}/lines`, { body: line });
}

export function updateSessionLine(api: ApiClient, id: string, lineId: string, patch: LinePatch): Promise<SessionView> {
  return api.request<SessionView>("PATCH", `${session(id)}/lines/${encodeURIComponent(lineId)}`, { body: patch });
}

export function deleteSessionLine(api: ApiClient, id: string, lineId: string): Promise<SessionView> {
  return api.request<SessionView>("DELETE", `${session(id)}/lines/${encodeURIComponent(lineId)}`);
}

/** Abandons the cart: its stock holds are released. */
export function abandonSession(api: ApiClient, id: string): Promise<SessionView> {
  return api.request<SessionView>("POST", `${session(id)}/abandon`);
}

/**
 * `POST /api/sessions/:id/commit`. The order id doubles as the Idempotency-Key, so a retry of
 * the same checkout returns the stored order instead of placing a second one.
 */
export async function commitSession(api: ApiClient, id: string, body: CommitSessionBody): Promise<PlacedOrder> {
  const reply = await api.send<OrderView>("POST", `${session(id)}/commit`, {
    body,
    headers: { "idempotency-key": body.id },
    timeoutMs: 10_000,
  });
  return { order: reply.body, replayed: reply.headers.get("idempotent-replayed") === "true" };
}

// ---- printers and print jobs ----------------------------------------------------------------------

/** `GET /api/devices/status`: printers (with URIs), drawer, display, ordering state, alerts. */
export function fetchDevicesStatus(api: ApiClient): Promise<DevicesStatus> {
  return api.request<DevicesStatus>("GET", "/api/devices/status");
}

export async function fetchPrintJobs(api: ApiClient, states: readonly PrintJobState[]): Promise<PrintJobView[]> {
  const query = states.map((state) => `state=${encodeURIComponent(state)}`).join("&");
  return (await api.request<{ jobs: PrintJobView[] }>("GET", `/api/print-jobs${query ? `?${query}` : ""}`)).jobs;
}

/** A copy of a job (marked COPY); `key` makes a retried tap return the same copy. */
export function createReprint(api: ApiClient, jobId: string, key: string): Promise<PrintJobView> {
  return api.request<PrintJobView>("POST", `/api/print-jobs/${encodeURIComponent(jobId)}/reprint`, {
    body: {},
    headers: { "idempotency-key": key },
  });
}

export function updatePrintJobCancelled(api: ApiClient, jobId: string): Promise<PrintJobView> {
  return api.request<PrintJobView>("POST", `/api/print-jobs/${encodeURIComponent(jobId)}/cancel`);
}

export function updateOrderStatus(api: ApiClient, id: string, status: OrderStatus): Promise<OrderView> {
  return api.request<OrderView>("PATCH", `/api/orders/${encodeURIComponent(id)}/status`, { body: { status } });
}

/** Item-level done mark: `mark` is a line id, or `lineId/slotId` for one component of a combo. */
export function updateOrderMark(api: ApiClient, id: string, mark: string, done: boolean): Promise<OrderView> {
  return api.request<OrderView>("POST", `/api/orders/${encodeURIComponent(id)}/marks`, { body: { mark, done } });
}

// ---- field diagnostics (README "Field operations") -------------------------------------------------

/** A screen page says it is alive (every 15 s). */
export async function sendHeartbeat(api: ApiClient, page: string, timeoutMs: number): Promise<void> {
  await api.request<unknown>("POST", "/api/diagnostics/heartbeat", { body: { page }, timeoutMs });
}

/** `galley doctor`'s checks, live; they take up to 10 s on a board. */
export function fetchDoctor(api: ApiClient): Promise<DoctorReport> {
  return api.request<DoctorReport>("GET", "/api/diagnostics/doctor", { timeoutMs: 15_000 });
}

export function fetchScreens(api: ApiClient): Promise<ScreensReport> {
  return api.request<ScreensReport>("GET", "/api/diagnostics/screens");
}

export function fetchLogs(api: ApiClient, lines: number): Promise<LogsReply> {
  return api.request<LogsReply>("GET", `/api/diagnostics/logs?lines=${lines}`, { timeoutMs: 10_000 });
}

export interface DownloadedFile {
  fileName: string;
  bytes: Uint8Array<ArrayBuffer>;
  type: string;
}

/** The support bundle (`.tar.gz`): the doctor runs first, so it may take a while. */
export async function fetchSupportBundle(api: ApiClient): Promise<DownloadedFile> {
  const reply = await api.sendBinary("GET", "/api/diagnostics/support-bundle", { timeoutMs: 60_000 });
  return {
    fileName: downloadName(reply.headers.get("content-disposition"), "galley-support.tar.gz"),
    bytes: reply.bytes,
    type: reply.headers.get("content-type") ?? "application/gzip",
  };
}

export interface TestReceipt {
  /** The PNG a simulator draws from the very bytes sent to the printer. */
  png: Uint8Array<ArrayBuffer>;
  jobId: string;
  printerId: string;
}

/** Prints a test receipt (on `printerId`, else the receipt printer) and returns its rendering. */
export async function createTestReceipt(api: ApiClient, printerId?: string): Promise<TestReceipt> {
  const query = printerId ? `?printer=${encodeURIComponent(printerId)}` : "";
  const reply = await api.sendBinary("POST", `/api/diagnostics/receipt${query}`, { timeoutMs: 15_000 });
  return {
    png: reply.bytes,
    jobId: reply.headers.get("x-print-job") ?? "",
    printerId: reply.headers.get("x-printer") ?? printerId ?? "",
  };
}

/** Kicks the cash drawer once; the drawer's state a moment later. */
export async function createDrawerKick(api: ApiClient): Promise<DrawerStatusView> {
  return (
    await api.request<{ kicked: true; drawer: DrawerStatusView }>("POST", "/api/diagnostics/cash-drawer", {
      timeoutMs: 10_000,
    })
  ).drawer;
}

/** Shows a test pattern on the pole display; the display with the two rows it shows. */
export function createDisplayTest(api: ApiClient): Promise<DisplayStatusView> {
  return api.request<DisplayStatusView>("POST", "/api/diagnostics/display", { timeoutMs: 10_000 });
}

// ---- sync and backups (README "Sync and backups") --------------------------------------------------

export function fetchSyncStatus(api: ApiClient): Promise<SyncStatus> {
  return api.request<SyncStatus>("GET", "/api/sync/status");
}

/** Everything waiting is due now; how many items that is. */
export function createSyncNow(api: ApiClient): Promise<{ targets: TargetName[]; due: number }> {
  return api.request<{ targets: TargetName[]; due: number }>("POST", "/api/sync/now");
}

export async function fetchOpenNotifications(
  api: ApiClient,
  limit = 20,
): Promise<{ notifications: NotificationView[]; open: number }> {
  const reply = await api.request<{ notifications: NotificationView[]; open: number }>(
    "GET",
    `/api/sync/notifications?open=true&limit=${limit}`,
  );
  return { notifications: reply.notifications, open: reply.open };
}

export function updateNotificationCleared(api: ApiClient, id: number): Promise<NotificationView> {
  return api.request<NotificationView>("POST", `/api/sync/notifications/${id}/clear`);
}

/** A target's dead items (refused for good), newest first. */
export async function fetchDeadItems(
  api: ApiClient,
  target: TargetName,
  limit = 20,
): Promise<{ items: HistoryEntry[]; total: number }> {
  const reply = await api.request<{ logs: HistoryEntry[]; total: number }>(
    "GET",
    `/api/integrations/${target}/history?status=dead&limit=${limit}`,
  );
  return { items: reply.logs, total: reply.total };
}

export function createRequeue(api: ApiClient, id: number): Promise<HistoryEntry> {
  return api.request<HistoryEntry>("POST", `/api/sync/items/${id}/requeue`);
}

export function fetchBackupStats(api: ApiClient): Promise<BackupStats> {
  return api.request<BackupStats>("GET", "/api/backups/orders/stats");
}

export interface VerifyReport {
  target: TargetName;
  checked: number;
  verified: number;
  missing: number;
  mismatched: number;
  failed?: string;
  skipped?: string;
}

/** Verifies the order backups against the server now. */
export async function createVerify(api: ApiClient): Promise<VerifyReport[]> {
  return (
    await api.request<{ reports: VerifyReport[] }>("POST", "/api/backups/orders/verify", {
      body: {},
      timeoutMs: 60_000,
    })
  ).reports;
}

export function fetchJournalBackups(api: ApiClient): Promise<{ folder: string; backups: JournalBackupView[] }> {
  return api.request<{ folder: string; backups: JournalBackupView[] }>("GET", "/api/backups/journal");
}

/** Writes a journal backup now (checked and hashed; a big journal takes a while). */
export function createJournalBackup(api: ApiClient): Promise<JournalBackupView> {
  return api.request<JournalBackupView>("POST", "/api/backups/journal", { timeoutMs: 120_000 });
}
