/**
 * The board's first setup from a browser, for a board that booted without galley-setup.json:
 * the image's first boot leaves a flag file (config `setup.flagFile`) and opens the setup
 * hotspot, and the board's own screen shows /setup with a six-digit code.
 *
 * A submission must carry that code (five wrong ones and it changes, so it cannot be guessed
 * from the open hotspot). galleyd sets the first admin's PIN in the journal itself, then leaves
 * the rest as a setup file in its data folder (`setup-request.json`, 0600). The board's root side
 * (galley-setup-request.path → galley-provision.ts apply-request) checks and imports it exactly
 * like a setup file from the boot partition and restarts the board; its verdict comes back in
 * the files beside the flag: `setup-errors.txt` (the page lists them), or the flag is gone.
 */
import { randomInt, timingSafeEqual } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureFirstAdmin } from "../commands/auth.ts";
import { changeUser } from "../commands/users.ts";
import type { CommandContext } from "../commands/context.ts";
import { ROLE_PERMISSIONS } from "../../protocol/core/permissions.ts";
import { listUsers } from "../journal/auth-store.ts";
import { writeFileDurably } from "../lib/durable-file.ts";
import { AppError } from "../lib/errors.ts";
import type { Logger } from "../lib/logger.ts";
import type { SetupBody, SetupStatus } from "../../protocol/schemas/setup.ts";

/** Wrong codes accepted before the code changes (the screen shows the new one). */
export const SETUP_CODE_ATTEMPTS = 5;

export interface BoardSetupOptions {
  ctx: CommandContext;
  log: Logger;
  /** While it exists the board waits for its setup. */
  flagFile: string;
  /** Where the submission goes (galleyd's data folder, which the root side reads). */
  requestFile: string;
}

export class BoardSetup {
  readonly #options: BoardSetupOptions;
  #code = newCode();
  #wrong = 0;

  constructor(options: BoardSetupOptions) {
    this.#options = options;
  }

  /** Whether this board still waits for its setup. */
  get pending(): boolean {
    return existsSync(this.#options.flagFile);
  }

  /** The code the board's own screen shows. */
  get code(): string {
    return this.#code;
  }

  /** Says the code in the log, for a board without a screen (journalctl -u galleyd). */
  announce(): void {
    if (this.pending)
      this.#options.log.warn(
        { code: this.#code },
        "this board waits for its setup: open /setup (on the setup hotspot: http://10.42.0.1:8080/setup)",
      );
  }

  status(withCode: boolean): SetupStatus {
    if (!this.pending) return { state: "done", errors: [] };
    const state = existsSync(this.#options.requestFile) ? "applying" : "waiting";
    return { state, errors: this.#errors(), ...(withCode ? { code: this.#code } : {}) };
  }

  /** Checks the code, sets the admin PIN, and hands the rest to the board's root side. */
  async submit(body: SetupBody): Promise<SetupStatus> {
    if (!this.pending) throw new AppError("setup_not_pending", "this board is already set up; change it from /admin");
    this.#checkCode(body.code);
    const { code: _code, adminPin, ...setup } = body;
    if (adminPin) await this.#setAdminPin(adminPin);
    // Owner-only, and whole or not at all: a power cut leaves no half-written setup to import.
    writeFileDurably(this.#options.requestFile, `${JSON.stringify(setup, null, 2)}\n`, 0o600);
    // One code, one submission: a second one needs the screen again.
    this.#code = newCode();
    this.#wrong = 0;
    this.#options.log.info(
      { name: setup.name, role: setup.role },
      "setup submitted; the board imports it and restarts",
    );
    return this.status(false);
  }

  #checkCode(given: string): void {
    const a = Buffer.from(given);
    const b = Buffer.from(this.#code);
    if (a.length === b.length && timingSafeEqual(a, b)) return;
    this.#wrong += 1;
    if (this.#wrong >= SETUP_CODE_ATTEMPTS) {
      this.#code = newCode();
      this.#wrong = 0;
      this.#options.log.warn({ code: this.#code }, "too many wrong setup codes: the board shows a new one");
    }
    throw new AppError("setup_code_invalid", "that is not the code on the board's screen");
  }

  /** The first admin gets the PIN (created with it on a journal without users). */
  async #setAdminPin(pin: string): Promise<void> {
    const { ctx } = this.#options;
    const admin = listUsers(ctx.journal).find((u) => u.role === "admin" && u.status === "active");
    if (!admin) {
      await ensureFirstAdmin(ctx, pin);
      return;
    }
    const self = {
      kind: "user" as const,
      id: admin.id,
      name: admin.name,
      role: admin.role,
      permissions: [...ROLE_PERMISSIONS.admin],
    };
    await changeUser(ctx, self, admin.id, { pin });
  }

  /** What the board's import found wrong last (setup-errors.txt beside the flag), if anything. */
  #errors(): string[] {
    try {
      return readFileSync(join(dirname(this.#options.flagFile), "setup-errors.txt"), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "");
    } catch {
      return [];
    }
  }
}

function newCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}
