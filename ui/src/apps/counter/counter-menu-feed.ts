/**
 * The counter's live menu: loaded with the counter's device token once its session is ready
 * (retried with back-off while galleyd cannot be reached), then the `menu` topic keeps sold-out
 * marks and stock current and a replaced menu is loaded again. The host re-renders with every
 * new catalog. The topic is the shared store (data/stores.ts), held while the host is connected.
 */
import type { ReactiveControllerHost } from "lit";
import { SubscribeController } from "../../controllers/subscribe-controller.ts";
import { ApiError } from "../../data/api.ts";
import { fetchMenu } from "../../data/endpoints.ts";
import { MenuCatalog } from "../../data/menu-catalog.ts";
import type { ScreenSession } from "../../data/screen-session.ts";
import { menuStore, type MenuStore } from "../../data/stores.ts";

export class CounterMenuFeed {
  readonly #host: ReactiveControllerHost;
  readonly #session: ScreenSession;
  readonly #menu: MenuStore;
  readonly #subscriptions: SubscribeController;
  #catalog: MenuCatalog | undefined;
  #loading = false;

  constructor(host: ReactiveControllerHost, session: ScreenSession) {
    this.#host = host;
    this.#session = session;
    this.#menu = menuStore(session.push);
    this.#subscriptions = new SubscribeController(host, () => (this.#catalog ? [this.#follow()] : undefined));
  }

  /** The menu with its live availability; undefined until it first loaded. */
  get catalog(): MenuCatalog | undefined {
    return this.#catalog;
  }

  /** Loads the menu (again), and follows its availability from then on. */
  async load(): Promise<void> {
    if (this.#loading) return;
    this.#loading = true;
    try {
      for (let attempt = 0; this.#session.phase === "ready"; attempt += 1) {
        try {
          this.#catalog = new MenuCatalog(await fetchMenu(this.#session.api));
          this.#host.requestUpdate();
          if (this.#subscriptions.subscribed) this.#menu.refresh();
          else this.#subscriptions.check();
          this.#session.push.start();
          await this.#host.updateComplete;
          performance.mark("galley:interactive");
          return;
        } catch (error) {
          if (error instanceof ApiError && error.unauthorized) return;
          await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 500 * 2 ** attempt)));
        }
      }
    } finally {
      this.#loading = false;
    }
  }

  #follow(): () => void {
    return this.#menu.subscribe((availability, update) => {
      if (update.kind === "delta" && update.change === "menu_replaced") void this.load();
      else if (availability && this.#catalog) {
        this.#catalog = this.#catalog.withAvailability(availability);
        this.#host.requestUpdate();
      }
    });
  }
}
