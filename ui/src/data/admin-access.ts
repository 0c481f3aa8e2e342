/**
 * What the signed-in person may use on the admin page, from the permissions `GET /api/auth/me`
 * returns (protocol/core/permissions.ts): technicians and admins see everything, a manager what
 * its permissions allow (no pairing), a cashier the printers. The page shows only what the role
 * may use; galleyd still decides every request (a 403 is shown as a friendly message).
 * Pure: no I/O.
 */
import type { Permission } from "../../../protocol/index.ts";

export interface AdminAccess {
  /** Make pairing codes (`devices:pair`). */
  pair: boolean;
  /** Paired screens, unpair (`devices:manage`). */
  pairedScreens: boolean;
  /** Printer, drawer and display states (`devices:read`). */
  devices: boolean;
  /** Test print, drawer kick, display test (`devices:operate`). */
  deviceTests: boolean;
  /** Print jobs needing attention (any of the print permissions). */
  printJobs: boolean;
  /** Doctor, connected screens, logs, support bundle (`diagnostics:read`). */
  diagnostics: boolean;
  syncRead: boolean;
  syncManage: boolean;
  backupsRead: boolean;
  backupsManage: boolean;
}

export function adminAccess(permissions: readonly Permission[]): AdminAccess {
  const has = (permission: Permission) => permissions.includes(permission);
  return {
    pair: has("devices:pair"),
    pairedScreens: has("devices:manage"),
    devices: has("devices:read"),
    deviceTests: has("devices:operate"),
    printJobs: has("print:kitchen") || has("print:receipts") || has("print:manage"),
    diagnostics: has("diagnostics:read"),
    syncRead: has("sync:read"),
    syncManage: has("sync:manage"),
    backupsRead: has("backups:read"),
    backupsManage: has("backups:manage"),
  };
}

/** The admin page's views, in the order of its navigation. */
export const ADMIN_VIEWS = ["devices", "diagnostics", "sync"] as const;
export type AdminView = (typeof ADMIN_VIEWS)[number];

/** The views with something this role may use; "devices" always (it holds the links to the screens). */
export function adminViews(access: AdminAccess): AdminView[] {
  return ADMIN_VIEWS.filter((view) => {
    switch (view) {
      case "devices":
        return true;
      case "diagnostics":
        return access.diagnostics || access.deviceTests;
      case "sync":
        return access.syncRead || access.backupsRead;
    }
  });
}

/** The view a location hash (`#diagnostics`) names, when the role may use it; else the first. */
export function viewFromHash(hash: string, views: readonly AdminView[]): AdminView {
  const wanted = hash.replace(/^#/, "");
  return views.find((view) => view === wanted) ?? views[0] ?? "devices";
}
