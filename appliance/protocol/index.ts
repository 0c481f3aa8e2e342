/** The public protocol of galleyd: everything the screens may import (with `import type`). */
export * from "./common.ts";
export * from "./menu.ts";
export * from "./orders.ts";
export * from "./auth.ts";
export * from "./push.ts";
export * from "./diagnostics.ts";
export * from "./devices.ts";
export * from "./sync.ts";
