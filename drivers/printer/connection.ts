/**
 * Where the printer actor's link stands: `connecting` (opening, or reconnecting with backoff),
 * `online`, `offline` (the transport dropped or stopped answering), `stopped` (the actor was
 * stopped). The actor (printer.ts) owns it; a job being sent (send-job.ts) reads it.
 */
export type PrinterConnection = "stopped" | "connecting" | "online" | "offline";
