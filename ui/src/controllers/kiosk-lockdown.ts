/**
 * A kiosk is a public terminal: no context menu, no pinch or ctrl-wheel zoom, while its host is in
 * the page.
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";

const preventDefault = (e: Event): void => {
  e.preventDefault();
};

const preventZoom = (e: WheelEvent): void => {
  if (e.ctrlKey) e.preventDefault();
};

export class KioskLockdown implements ReactiveController {
  constructor(host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener("contextmenu", preventDefault);
    window.addEventListener("wheel", preventZoom, { passive: false });
    document.addEventListener("gesturestart", preventDefault);
  }

  hostDisconnected(): void {
    window.removeEventListener("contextmenu", preventDefault);
    window.removeEventListener("wheel", preventZoom);
    document.removeEventListener("gesturestart", preventDefault);
  }
}
