/**
 * The kiosk's live menu: loads it once the screen session is ready (retrying with back-off while
 * galleyd cannot be reached, which counts as offline), then follows the `menu` topic — sold-out
 * flags change the catalog in place, a replaced menu is loaded again — and the `devices` topic's
 * ordering state. When something sells out or comes back, the appliance re-checks the cart, and
 * a line that just became unorderable is named to `onSoldOut`. The host re-renders with every
 * new catalog. Both topics are shared stores (data/stores.ts), held while the host is connected.
 */
import type { ReactiveControllerHost } from "lit";
import { ApiError } from "../data/api.ts";
import type { CartLine, CartSession } from "../data/cart-session.ts";
import { fetchMenu } from "../data/endpoints.ts";
import { MenuCatalog } from "../data/menu-catalog.ts";
import type { OrderingWatch } from "../data/ordering.ts";
import type { ScreenSession } from "../data/screen-session.ts";
import { devicesStore, menuStore, type DevicesStore, type MenuStore } from "../data/stores.ts";
import type { OfflineGrace } from "./offline-grace.ts";
import { SubscribeController } from "./subscribe-controller.ts";

export interface KioskMenuFeedOptions {
  session: ScreenSession;
  cart: CartSession;
  ordering: OrderingWatch;
  offlineGrace: OfflineGrace;
  /** The menu arrived for the first time (the catalog is set). */
  onFirstMenu: () => void;
  /** A line in the cart can no longer be ordered as it is. */
  onSoldOut: (line: CartLine) => void;
}

export class KioskMenuFeed {
  readonly #host: ReactiveControllerHost;
  readonly #options: KioskMenuFeedOptions;
  readonly #menu: MenuStore;
  readonly #devices: DevicesStore;
  /** Both topics, from the first menu on (availability needs a catalog to apply to). */
  readonly #subscriptions: SubscribeController;
  #catalog: MenuCatalog | undefined;

  constructor(host: ReactiveControllerHost, options: KioskMenuFeedOptions) {
    this.#host = host;
    this.#options = options;
    this.#menu = menuStore(options.session.push);
    this.#devices = devicesStore(options.session.push);
    this.#subscriptions = new SubscribeController(host, () =>
      this.#catalog ? [this.#followDevices(), this.#followMenu()] : undefined,
    );
  }

  /** Asks for a fresh device state (the kitchen was unreachable: it says when ordering resumes). */
  refreshDevices(): void {
    this.#devices.refresh();
  }

  /** The menu with its live availability; undefined until it first loaded. */
  get catalog(): MenuCatalog | undefined {
    return this.#catalog;
  }

  /** Loads the menu (again), and follows it and the ordering state from then on. */
  async load(): Promise<void> {
    const { session, cart } = this.#options;
    for (let attempt = 0; session.phase === "ready"; attempt += 1) {
      try {
        const response = await fetchMenu(session.api);
        const first = this.#catalog === undefined;
        this.#set(new MenuCatalog(response));
        if (first) {
          this.#options.onFirstMenu();
          void cart.releaseLeftover();
        }
        this.#subscribe();
        session.push.start();
        await this.#host.updateComplete;
        if (first) performance.mark("galley:interactive");
        return;
      } catch (error) {
        if (error instanceof ApiError && error.unauthorized) return;
        this.#options.offlineGrace.markOffline();
        await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 500 * 2 ** attempt)));
      }
    }
  }

  #set(catalog: MenuCatalog): void {
    this.#catalog = catalog;
    this.#host.requestUpdate();
  }

  /** Follows both topics; a menu loaded again asks for a fresh availability snapshot to apply to it. */
  #subscribe(): void {
    if (this.#subscriptions.subscribed) this.#menu.refresh();
    else this.#subscriptions.check();
  }

  #followDevices(): () => void {
    const ordering = this.#options.ordering;
    return this.#devices.subscribe((devices, update) => {
      if (devices) ordering.update(devices.ordering, update.kind === "snapshot");
    });
  }

  #followMenu(): () => void {
    return this.#menu.subscribe((availability, update) => {
      if (update.kind === "delta" && update.change === "menu_replaced") void this.load();
      else if (availability) this.#setAvailability(availability);
    });
  }

  #setAvailability(availability: MenuCatalog["availability"]): void {
    const { cart } = this.#options;
    const catalog = this.#catalog;
    if (!catalog) return;
    const before = cart.problems(catalog);
    const flags = (a: MenuCatalog["availability"]) => `${a.soldOutItems.join()}|${a.soldOutOptions.join()}`;
    const flagsChanged = flags(availability) !== flags(catalog.availability);
    const next = catalog.withAvailability(availability);
    this.#set(next);
    // Something sold out or came back: the appliance re-checks each line of the cart.
    if (flagsChanged && !cart.isEmpty) void cart.refresh();
    const after = cart.problems(next);
    const fresh = [...after.keys()].filter((key) => !before.has(key));
    const line = fresh.length > 0 ? cart.line(fresh[0] ?? "") : undefined;
    if (line) this.#options.onSoldOut(line);
  }
}
