/**
 * Staff PINs: scrypt hashes to prove a PIN, and a keyed index to find whose it is.
 *
 * Sign-in takes a PIN alone, so the appliance must find the user it belongs to. Trying the PIN
 * against every user's scrypt hash cost one scrypt per user per attempt (17 users: 1.2 s, and a
 * burst of wrong PINs stalled the kiosk's static files on the shared thread pool). Instead each
 * user row carries `pin_index` = HMAC-SHA256(index key, PIN), unique, with the index key derived
 * from the board's secret key (lib/secret-key.ts), which is never in the journal: one sign-in is
 * one HMAC, one indexed lookup and one scrypt check. A copied journal or backup without the key
 * gives an attacker only the salted scrypt hashes, as before.
 *
 * Users without an index under the current key (rows from before this index, a first admin
 * created from a setup file's hash, a journal restored on a board with another key) are found the
 * old way, by scrypt, and indexed as soon as their PIN is seen. All scrypt work goes through one
 * small queue, so a burst of sign-ins cannot take the whole thread pool.
 */
import {
  createHash,
  createHmac,
  randomBytes,
  randomInt,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from "node:crypto";
import { AppError } from "../lib/errors.ts";
import { AttemptLimiter } from "./attempt-limiter.ts";
import { indexUserPin, listUsersByPinIndex, listUnindexedUsers, type UserRecord } from "../journal/auth-store.ts";
import type { Journal } from "../journal/database.ts";
import { deriveKey } from "../lib/secret-key.ts";

// scrypt cost: N=2^14, r=8 (RFC 7914 interactive-login guidance), ~16 MiB, tens of ms on a Pi 4.
const SCRYPT: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Digits of a PIN the appliance chooses. */
export const GENERATED_PIN_LENGTH = 6;

function scrypt(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(secret, salt, 32, options, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });
}

/** The scrypt hash of a PIN, as `scrypt$N$r$p$salt$key` (also `galley pin-hash` for setup files). */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Whether `pin` is the PIN `stored` was made from. */
export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split("$");
  if (scheme !== "scrypt" || !salt || !key) return false;
  const expected = Buffer.from(key, "base64url");
  const actual = await scrypt(pin, Buffer.from(salt, "base64url"), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** At most `limit` tasks at once; the rest wait in order. */
class Queue {
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #limit: number;
  constructor(limit: number) {
    this.#limit = limit;
  }
  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running += 1;
    try {
      return await task();
    } finally {
      this.#running -= 1;
      this.#waiting.shift()?.();
    }
  }
}

export interface PinStats {
  /** scrypt computations since start (hashes and checks). */
  scryptRuns: number;
}

export interface PinsOptions {
  /** PINs one person may choose for users per minute (`auth.pinChoicesPerMinute`). */
  choicesPerMinute: number;
  /** scrypt computations at once (libuv has four threads; static files need them too). */
  concurrency?: number;
  /** Monotonic milliseconds for the choices' window. */
  now: () => number;
}

export class Pins {
  readonly #key: Buffer;
  readonly #keyId: string;
  readonly #queue: Queue;
  readonly #choices: AttemptLimiter;
  readonly stats: PinStats = { scryptRuns: 0 };

  /** `secretKey`: the board's key (lib/secret-key.ts). */
  constructor(secretKey: Buffer, options: PinsOptions) {
    this.#key = deriveKey(secretKey, "galley pin index v1");
    this.#keyId = createHash("sha256").update(this.#key).digest("hex").slice(0, 16);
    this.#queue = new Queue(options.concurrency ?? 2);
    this.#choices = new AttemptLimiter({ perKey: options.choicesPerMinute, what: "PIN choices", now: options.now });
  }

  /** The PIN's index value under the current key. */
  index(pin: string): { value: string; keyId: string } {
    return { value: createHmac("sha256", this.#key).update(pin).digest("base64url"), keyId: this.#keyId };
  }

  hash(pin: string): Promise<string> {
    return this.#scrypt(() => hashPin(pin));
  }

  verify(pin: string, stored: string): Promise<boolean> {
    return this.#scrypt(() => verifyPin(pin, stored));
  }

  /**
   * The user whose PIN this is (active or not), or undefined. Indexed users cost one scrypt check;
   * users not indexed under the current key are checked one by one and indexed when found.
   */
  async findUser(journal: Journal, pin: string, exceptUserId?: string): Promise<UserRecord | undefined> {
    const index = this.index(pin);
    for (const user of listUsersByPinIndex(journal, index.value, index.keyId)) {
      if (user.id !== exceptUserId && (await this.verify(pin, user.pinHash))) return user;
    }
    for (const user of listUnindexedUsers(journal, index.keyId)) {
      if (user.id === exceptUserId || !(await this.verify(pin, user.pinHash))) continue;
      try {
        journal.transaction(() => {
          indexUserPin(journal, user.id, index.value, index.keyId);
        });
      } catch {
        // Another user already holds this index (two users with one PIN from an old journal): stay unindexed.
      }
      return user;
    }
    return undefined;
  }

  /**
   * Refuses a PIN that `chooserId` picked for a user when any other user has it. "In use" says
   * that somebody has this PIN (not who), which is what a wrong sign-in says too, so each choice
   * counts toward the chooser's limit whatever the answer: a manager cannot try PINs faster this
   * way than at the sign-in (security review, finding 3). The appliance's own PINs (`generate`) are free.
   */
  async assertChoiceFree(journal: Journal, pin: string, chooserId: string, exceptUserId?: string): Promise<void> {
    const attempt = this.#choices.reserve(chooserId);
    try {
      if (await this.findUser(journal, pin, exceptUserId))
        throw new AppError("pin_in_use", "this PIN cannot be used; choose another, or let the appliance choose one");
    } finally {
      attempt.keep();
    }
  }

  /** A random PIN nobody has yet (undefined after `tries` collisions: a store with a million users). */
  async generate(journal: Journal, tries = 20): Promise<string | undefined> {
    for (let attempt = 0; attempt < tries; attempt += 1) {
      const pin = String(randomInt(0, 10 ** GENERATED_PIN_LENGTH)).padStart(GENERATED_PIN_LENGTH, "0");
      if (!(await this.findUser(journal, pin))) return pin;
    }
    return undefined;
  }

  #scrypt<T>(task: () => Promise<T>): Promise<T> {
    this.stats.scryptRuns += 1;
    return this.#queue.run(task);
  }
}
