/**
 * The board's setup page (appliance/setup): public while the board waits for its setup, since
 * nobody has a PIN yet; a submission needs the code on the board's own screen instead.
 */
import { isLoopback } from "../lib/net.ts";
import { SetupBody, SetupStatus } from "../../protocol/schemas/setup.ts";
import type { BoardSetup } from "./board-setup.ts";
import { SETUP_PAGE_INLINE, setUpPage, setupPage } from "./page.ts";
import { inlinePageHeaders } from "../http/security-headers.ts";
import type { RoutePlugin } from "../http/deps.ts";

export const setupRoutes: RoutePlugin<{ setup: BoardSetup; timezone: string }> = (app, { setup, timezone }, done) => {
  const open = { access: "public" as const };
  app.get(
    "/setup",
    { config: { ...open, securityHeaders: inlinePageHeaders(SETUP_PAGE_INLINE) }, schema: { hide: true } },
    (request, reply) => {
      const html = setup.pending
        ? setupPage({ timezone, ...(isLoopback(request.socket.remoteAddress) ? { code: setup.code } : {}) })
        : setUpPage();
      return reply.header("cache-control", "no-store").type("text/html; charset=utf-8").send(html);
    },
  );
  app.get(
    "/api/setup",
    {
      config: open,
      schema: {
        tags: ["setup"],
        summary:
          "Whether this board waits for its setup, and what its last import found wrong (the code only to the board's own screen)",
        response: { 200: SetupStatus },
      },
    },
    (request, reply) => {
      void reply.header("cache-control", "no-store");
      return setup.status(isLoopback(request.socket.remoteAddress));
    },
  );
  app.post(
    "/api/setup",
    {
      config: open,
      schema: {
        tags: ["setup"],
        summary: "Set up a board that has no setup: needs the code on its screen; the board imports it and restarts",
        body: SetupBody,
        response: { 202: SetupStatus },
      },
    },
    async (request, reply) => reply.code(202).send(await setup.submit(request.body)),
  );
  done();
};
