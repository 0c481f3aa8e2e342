/**
 * galley's protocol, the core entry: what both galleyd and the screens use. Values here depend on
 * nothing (no TypeBox, no Node): roles, the screen registry, push topics and close codes, the
 * error catalogue, permissions, the station view. The wire types come along as types only;
 * their TypeBox schemas are the second entry point, `protocol/schemas/index.ts`, which only
 * galleyd loads (it validates with them).
 */
export * from "./core/roles.ts";
export * from "./core/screens.ts";
export * from "./core/push.ts";
export * from "./core/errors.ts";
export * from "./core/permissions.ts";
export * from "./core/stations.ts";

export type { ErrorBody, LocalizedText } from "./schemas/common.ts";
export type {
  Allergen,
  Availability,
  AvailabilityChange,
  Combo,
  DietaryTag,
  Menu,
  MenuItem,
  MenuResponse,
  ModifierGroup,
  ModifierOption,
  PictureSaved,
  TaxClass,
} from "./schemas/menu.ts";
export type {
  Actor,
  BulkProgressResponse,
  CommitSessionBody,
  LineInput,
  LinePatch,
  MarkBody,
  OrderDetail,
  OrderView,
  PaymentBody,
  PaymentMethod,
  PaymentView,
  PaymentsSummary,
  PlaceOrderBody,
  PricedLine,
  QueueResponse,
  OrdersOfDayResponse,
  RefundBody,
  RefundRoute,
  RefundView,
  SelectedOption,
  SessionLine,
  SessionView,
  SlotChoice,
  StatusChange,
  StatusPatch,
  TaxLine,
  Totals,
} from "./schemas/orders.ts";
export type {
  CheckoutBody,
  CheckoutState,
  CheckoutView,
  PaymentOptionsView,
  RecentPayment,
  RecentPaymentsView,
  TerminalClosingView,
  TerminalTestView,
  TerminalClosingsView,
  TerminalCredentialsBody,
  TerminalView,
  TerminalsView,
} from "./schemas/payments.ts";
export type {
  AttendanceAction,
  AttendanceCorrectionBody,
  AttendanceEntryView,
  AttendanceResponse,
  AttendanceState,
  AttendanceStatusView,
  CashCloseBody,
  CashCloseResponse,
  CashMoveBody,
  CashMoveType,
  CashMovementView,
  CashOpenBody,
  CashReportView,
  CashSessionsResponse,
  CashShiftView,
  CashSummary,
  ClockBody,
  Denomination,
  MethodTotal,
} from "./schemas/cash.ts";
export type {
  DeviceView,
  PairingCodeResponse,
  Principal,
  TokenResponse,
  UserView,
  UserWithPin,
} from "./schemas/auth.ts";
export type {
  AvailabilityDelta,
  ClientMessage,
  Delta,
  MenuReplacedDelta,
  OrderDelta,
  ServerMessage,
  SubscribeMessage,
  TopicSnapshot,
} from "./schemas/push.ts";
export type {
  ConnectedClient,
  DiagnosticsInfo,
  DoctorCheck,
  DoctorReport,
  LogsReply,
  ScreenHeartbeat,
  ScreensReport,
  Verdict,
} from "./schemas/diagnostics.ts";
export type {
  DeviceAlert,
  DeviceAlertCode,
  DeviceHistoryEntry,
  DevicesDelta,
  DevicesStatus,
  DisplayFrameBody,
  DisplayStatusView,
  DrawerStatusView,
  OrderingState,
  PrintBanner,
  PrintJobKind,
  PrintJobState,
  PrintJobView,
  PrintJobsQuery,
  PrinterStatusView,
  ReprintBody,
} from "./schemas/devices.ts";
export type {
  ConnectBody,
  HistoryEntry,
  HistoryResponse,
  IntegrationSettings,
  IntegrationStats,
  IntegrationView,
  NotificationView,
  SettingsPatch,
  SyncStatus,
  SyncStatusDelta,
  SyncTargetStatus,
  TargetName,
} from "./schemas/sync.ts";
export type {
  BackupCounts,
  BackupStats,
  CleanupBody,
  ImportBody,
  ImportResponse,
  JournalBackupView,
  OrderBackupView,
} from "./schemas/backups.ts";
export type { SetupBody, SetupStatus } from "./schemas/setup.ts";
