/**
 * The admin page's sections as data, like Home Assistant's `ha-panel-config` route table: each
 * row says which view shows it, its title, its element (an `AdminCard`), which access flags show
 * it (any one of them; none: always), which permissions it needs besides (any one of them) and
 * what the page hands it beyond the API client and the language. galley-admin-app.ts renders the rows of the current view in one loop, in this order.
 */
import type { DevicesStatus, Permission } from "../../../../protocol/index.ts";
import type { AdminAccess, AdminView } from "../../data/admin-access.ts";
import { pendingTotal, type ReceivedSyncStatus } from "../../data/sync-status.ts";
import type { MessageKey } from "../../i18n/index.ts";
import type { AdminCard } from "./admin-card.ts";
import "./galley-admin-device-tests.ts";
import "./galley-admin-doctor.ts";
import "./galley-admin-journal-backups.ts";
import "./galley-admin-links.ts";
import "./galley-admin-logs.ts";
import "./galley-admin-order-backups.ts";
import "./galley-admin-paired.ts";
import "./galley-admin-pairing.ts";
import "./galley-admin-payments.ts";
import "./galley-admin-printers.ts";
import "./galley-admin-screens.ts";
import "./galley-admin-support.ts";
import "./galley-admin-sync.ts";
import "./galley-admin-terminals.ts";

/** The element names of the admin cards. */
export type AdminSectionTag = {
  [K in keyof HTMLElementTagNameMap]: HTMLElementTagNameMap[K] extends AdminCard ? K : never;
}[keyof HTMLElementTagNameMap];

/** What the page knows that a section may need. */
export interface SectionContext {
  access: AdminAccess;
  /** The signed-in user's permissions (`GET /api/auth/me`). */
  permissions: readonly Permission[];
  devices: DevicesStatus | undefined;
  sync: ReceivedSyncStatus | undefined;
}

export interface AdminSection<T extends AdminSectionTag = AdminSectionTag> {
  /** Names the section: its title's id is `<id>-title`. */
  id: string;
  view: AdminView;
  title: MessageKey;
  tag: T;
  /** Shown when the role has any of these (data/admin-access.ts); an empty list: always. */
  access: readonly (keyof AdminAccess)[];
  /** Shown only when the role also has any of these permissions. */
  permissions?: readonly Permission[];
  /** Spans the whole width of the page's grid. */
  wide?: boolean;
  /** The `data-testid` the end-to-end tests find it by. */
  testId?: string;
  /** The section's own properties, from what the page knows (set again on every render). */
  props?: (context: SectionContext) => Partial<HTMLElementTagNameMap[T]>;
}

/** One row, with its `props` checked against its own element. */
function section<T extends AdminSectionTag>(row: AdminSection<T>): AdminSection {
  return row;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  section({ id: "pair", view: "devices", title: "admin.pairTitle", tag: "galley-admin-pairing", access: ["pair"] }),
  section({ id: "screens", view: "devices", title: "admin.screens", tag: "galley-admin-links", access: [] }),
  section({
    id: "printers",
    view: "devices",
    title: "admin.printers",
    tag: "galley-admin-printers",
    access: ["devices"],
    wide: true,
    testId: "printers",
    props: ({ access, devices }) => ({ printers: devices?.printers ?? [], jobsAllowed: access.printJobs }),
  }),
  section({
    id: "payments",
    view: "devices",
    title: "pay.title",
    tag: "galley-admin-payments",
    access: [],
    permissions: ["orders:read"],
    wide: true,
    testId: "payments",
    props: ({ permissions }) => ({ canRefund: permissions.includes("orders:refund") }),
  }),
  section({
    id: "devices",
    view: "devices",
    title: "admin.devices",
    tag: "galley-admin-paired",
    access: ["pairedScreens"],
    wide: true,
  }),
  section({
    id: "doctor",
    view: "diagnostics",
    title: "diag.doctorTitle",
    tag: "galley-admin-doctor",
    access: ["diagnostics"],
    wide: true,
    testId: "doctor",
  }),
  section({
    id: "device-tests",
    view: "diagnostics",
    title: "diag.devicesTitle",
    tag: "galley-admin-device-tests",
    access: ["devices", "deviceTests"],
    wide: true,
    testId: "device-tests",
    props: ({ access, devices }) => ({ status: devices, canTest: access.deviceTests }),
  }),
  section({
    id: "terminals",
    view: "diagnostics",
    title: "term.title",
    tag: "galley-admin-terminals",
    access: ["devices", "deviceTests"],
    wide: true,
    testId: "terminals",
    props: ({ access }) => ({ canOperate: access.deviceTests }),
  }),
  section({
    id: "connected",
    view: "diagnostics",
    title: "diag.screensTitle",
    tag: "galley-admin-screens",
    access: ["diagnostics"],
    testId: "connected-screens",
    props: ({ access }) => ({ canPair: access.pair }),
  }),
  section({
    id: "support",
    view: "diagnostics",
    title: "diag.bundleTitle",
    tag: "galley-admin-support",
    access: ["diagnostics"],
    testId: "support-bundle",
  }),
  section({
    id: "logs",
    view: "diagnostics",
    title: "diag.logsTitle",
    tag: "galley-admin-logs",
    access: ["diagnostics"],
    wide: true,
    testId: "logs",
  }),
  section({
    id: "sync",
    view: "sync",
    title: "sync.title",
    tag: "galley-admin-sync",
    access: ["syncRead"],
    wide: true,
    testId: "sync",
    props: ({ access, sync }) => ({ sync, canManage: access.syncManage }),
  }),
  section({
    id: "order-backups",
    view: "sync",
    title: "backups.ordersTitle",
    tag: "galley-admin-order-backups",
    access: ["backupsRead"],
    testId: "order-backups",
    props: ({ access, sync }) => ({ pending: pendingTotal(sync?.status), canManage: access.backupsManage }),
  }),
  section({
    id: "journal-backups",
    view: "sync",
    title: "backups.journalTitle",
    tag: "galley-admin-journal-backups",
    access: ["backupsRead"],
    testId: "journal-backups",
    props: ({ access }) => ({ canManage: access.backupsManage }),
  }),
];

/** The sections of `view` this role may see, in the table's order. */
export function visibleSections(
  view: AdminView,
  access: AdminAccess,
  permissions: readonly Permission[] = [],
): AdminSection[] {
  return ADMIN_SECTIONS.filter(
    (row) =>
      row.view === view &&
      (row.access.length === 0 || row.access.some((flag) => access[flag])) &&
      (row.permissions === undefined || row.permissions.some((permission) => permissions.includes(permission))),
  );
}
