import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { recentLogs } from "./log-ring.ts";

/** The injected logger: JSON lines, a namespace per module (`ns`), secrets redacted. */
export type Logger = PinoLogger;

export type LogLevel = "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";

/** Paths pino blanks out wherever they appear in a log record. */
export const REDACTED_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "headers.authorization",
  "token",
  "pin",
  "*.token",
  "*.pin",
  "*.accessToken",
  "*.refreshToken",
  "*.access_token",
  "*.refresh_token",
  "*.password",
  "*.secret",
];

export function createLogger(options: { level: LogLevel; destination?: DestinationStream }): Logger {
  const config = {
    level: options.level,
    base: { service: "galleyd" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  // Without an explicit destination: stdout (journald on the board) and the bounded ring of
  // recent lines that diagnostics and the support bundle read.
  return options.destination
    ? pino(config, options.destination)
    : pino(
        config,
        pino.multistream([
          { level: "trace", stream: pino.destination(1) },
          { level: "trace", stream: recentLogs },
        ]),
      );
}

/** A child logger for one module: `forModule(log, "journal")`. */
export function forModule(logger: Logger, ns: string): Logger {
  return logger.child({ ns });
}

/** A logger that drops everything (tests, libraries used alone). */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
