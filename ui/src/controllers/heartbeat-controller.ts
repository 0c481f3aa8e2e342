/**
 * Sends the page heartbeat (data/heartbeat.ts) while its host is in the page: started when the
 * host connects, stopped when it goes. `beat()` sends one now (the screen just got its token).
 */
import type { ReactiveController, ReactiveControllerHost } from "lit";
import { createHeartbeat, type HeartbeatOptions } from "../data/heartbeat.ts";
import type { Ticker } from "../data/ticker.ts";

export class HeartbeatController implements ReactiveController {
  readonly ticker: Ticker;

  constructor(host: ReactiveControllerHost, options: HeartbeatOptions) {
    this.ticker = createHeartbeat(options);
    host.addController(this);
  }

  hostConnected(): void {
    this.ticker.start();
  }

  hostDisconnected(): void {
    this.ticker.stop();
  }

  beat(): void {
    void this.ticker.tick();
  }
}
