/**
 * Roles and their explicit permissions. A route names the permission it needs; nothing checks
 * a role by name except the table below.
 */
import type { Role } from "../protocol/common.ts";

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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const CASHIER: readonly Permission[] = [
  "menu:read", "menu:availability", "cart:use", "orders:place", "orders:read", "orders:read_own",
  "orders:progress", "orders:cancel", "queue:read", "board:read", "payments:take",
];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  kiosk: ["menu:read", "cart:use", "orders:place", "orders:read_own"],
  kitchen: ["menu:read", "menu:availability", "queue:read", "board:read", "orders:read", "orders:progress"],
  board: ["board:read"],
  cashier: CASHIER,
  manager: [...CASHIER, "menu:write", "stock:write", "orders:refund", "users:manage", "devices:manage", "diagnostics:read"],
  technician: ["menu:read", "queue:read", "board:read", "orders:read", "devices:pair", "devices:manage", "diagnostics:read"],
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
