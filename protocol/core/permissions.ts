/**
 * Roles and their explicit permissions. A route names the permission it needs; nothing checks
 * a role by name except the table below.
 */
import type { Role } from "./roles.ts";

export const PERMISSIONS = [
  "menu:read",
  "menu:write",
  "menu:availability",
  "stock:write",
  "cart:use",
  "orders:place",
  "orders:read",
  "orders:read_own",
  "orders:progress",
  "orders:cancel",
  "orders:refund",
  "payments:take",
  "queue:read",
  "board:read",
  "users:manage",
  "devices:pair",
  "devices:manage",
  "diagnostics:read",
  // Printers, drawer, pole display (appliance/devices): see their status; test them and kick the drawer;
  // cancel and reprint kitchen tickets / receipts and number slips / any job.
  "devices:read",
  "devices:operate",
  "print:kitchen",
  "print:receipts",
  "print:manage",
  // Upstream sync and backups (appliance/sync): see the backlog, integrations and backups; connect,
  // re-queue, verify, import and clean up.
  "sync:read",
  "sync:manage",
  "backups:read",
  "backups:manage",
  // The store's cash (appliance/cash): open, move, report and close a drawer's shift; see past shifts.
  "cash:operate",
  // Staff attendance (appliance/attendance): clock in and out (a paired screen asks for the PIN);
  // correct entries and see everyone's hours.
  "attendance:clock",
  "attendance:manage",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CASHIER: readonly Permission[] = [
  "menu:read",
  "menu:availability",
  "cart:use",
  "orders:place",
  "orders:read",
  "orders:read_own",
  "orders:progress",
  "orders:cancel",
  "queue:read",
  "board:read",
  "payments:take",
  "devices:read",
  "print:receipts",
  "cash:operate",
  "attendance:clock",
];

/** Who looks after upstream sync and backups: managers (order-backup imports), technicians, admins. */
const SYNC_STAFF: readonly Permission[] = ["sync:read", "sync:manage", "backups:read", "backups:manage"];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  kiosk: ["menu:read", "cart:use", "orders:place", "orders:read_own"],
  kitchen: [
    "menu:read",
    "menu:availability",
    "queue:read",
    "board:read",
    "orders:read",
    "orders:progress",
    "devices:read",
    "print:kitchen",
    "attendance:clock",
  ],
  board: ["board:read"],
  // A paired counter before a cashier signs in: the menu and the queue to show, clocking in with a PIN.
  // What a cashier does there is done with the cashier's own sign-in.
  counter: ["menu:read", "queue:read", "board:read", "attendance:clock"],
  cashier: CASHIER,
  manager: [
    ...CASHIER,
    "menu:write",
    "stock:write",
    "orders:refund",
    "users:manage",
    "devices:manage",
    "diagnostics:read",
    "devices:operate",
    "print:kitchen",
    "print:manage",
    "attendance:manage",
    ...SYNC_STAFF,
  ],
  technician: [
    "menu:read",
    "queue:read",
    "board:read",
    "orders:read",
    "devices:pair",
    "devices:manage",
    "diagnostics:read",
    "devices:read",
    "devices:operate",
    "print:kitchen",
    "print:receipts",
    "print:manage",
    "attendance:clock",
    ...SYNC_STAFF,
  ],
  admin: PERMISSIONS,
};

export function can(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}

/** Staff roles a role may create or change: managers handle the floor, only admins handle admins and technicians. */
export function canManageRole(actor: Role, target: Role): boolean {
  if (actor === "admin") return true;
  if (actor === "manager") return target === "cashier" || target === "kitchen";
  return false;
}
