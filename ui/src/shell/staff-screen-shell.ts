/**
 * The shell of a screen a person signs in to with a staff PIN (the admin page; the counter
 * next): the staff token (kept in storage, so a reload stays signed in), an API client with it,
 * who is signed in (`auth/me`), sign-in and sign-out, and the sign-in card. Any 401 signs out.
 * The app renders the card with `renderSignIn()` where it wants it, loads its data in
 * `signedIn()` and drops it in `signedOut()`.
 */
import { html } from "lit";
import { state } from "lit/decorators.js";
import type { Principal, ScreenPage } from "../../../protocol/index.ts";
import "../components/galley-staff-sign-in.ts";
import type { GalleyStaffSignIn } from "../components/galley-staff-sign-in.ts";
import type { GalleyDomEvent } from "../data/fire-event.ts";
import { ApiClient, ApiError } from "../data/api.ts";
import { createSignIn, createSignOut, fetchMe } from "../data/endpoints.ts";
import { errorText, translator } from "../i18n/index.ts";
import { ScreenShell } from "./screen-shell.ts";

/** Where the staff token is kept (one per browser: the staff screens share the sign-in). */
export const STAFF_TOKEN_KEY = "galley.token.staff";

export abstract class StaffScreenShell extends ScreenShell {
  readonly api: ApiClient;
  /** Who is signed in; undefined while signed out. */
  @state() me: Principal | undefined;
  @state() busy = false;
  /** The last failure, in words. */
  @state() error = "";

  constructor(page: ScreenPage) {
    // The client and the heartbeat are made before `this` exists; they reach it through `hooks`.
    const hooks = { unauthorized: (): void => undefined, active: (): boolean => false };
    const api = new ApiClient({
      baseUrl: location.origin,
      fetch: (url, init) => fetch(url, init),
      token: () => localStorage.getItem(STAFF_TOKEN_KEY) ?? undefined,
      onUnauthorized: () => {
        hooks.unauthorized();
      },
    });
    super(page, api, () => hooks.active());
    this.api = api;
    hooks.unauthorized = () => {
      this.forgetSignIn();
    };
    hooks.active = () => this.me !== undefined && localStorage.getItem(STAFF_TOKEN_KEY) !== null;
  }

  /** The language the sign-in card speaks. */
  protected abstract get shellLanguage(): string;

  /** Signed in (or still signed in after a reload), `me` known: the app loads its data. */
  protected abstract signedIn(): Promise<void>;

  /** Signed out (or the token was refused): the app drops what the person could see. */
  protected signedOut(): void {
    // nothing by default
  }

  /** A failed request in words (an app may say more, e.g. what a 403 means for its role). */
  protected failureText(error: unknown): string {
    return errorText(translator(this.shellLanguage), error instanceof ApiError ? error.code : "generic");
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (localStorage.getItem(STAFF_TOKEN_KEY)) void this.#load();
  }

  /** The sign-in card (the PIN pad), for the app to place. */
  protected renderSignIn() {
    return html`<galley-staff-sign-in class="wide" .language=${this.shellLanguage} .busy=${this.busy} .error=${this.error} @pin-submit=${this.#signIn}></galley-staff-sign-in>`;
  }

  readonly signOut = async (): Promise<void> => {
    try {
      await createSignOut(this.api);
    } catch {
      // the token is dropped either way
    }
    this.forgetSignIn();
  };

  async #load(): Promise<void> {
    try {
      this.me = await fetchMe(this.api);
      this.heartbeat.beat();
      await this.signedIn();
    } catch (error) {
      this.error = this.failureText(error);
    }
  }

  readonly #signIn = async (event: GalleyDomEvent<"pin-submit">): Promise<void> => {
    this.busy = true;
    this.error = "";
    try {
      const reply = await createSignIn(this.api, event.detail);
      localStorage.setItem(STAFF_TOKEN_KEY, reply.token);
      await this.#load();
    } catch (error) {
      this.error = this.failureText(error);
      this.renderRoot.querySelector<GalleyStaffSignIn>("galley-staff-sign-in")?.clear();
    } finally {
      this.busy = false;
    }
  };

  /** Drops the token here without telling galleyd (it refused the token already). */
  protected forgetSignIn(): void {
    localStorage.removeItem(STAFF_TOKEN_KEY);
    this.me = undefined;
    this.signedOut();
  }
}
