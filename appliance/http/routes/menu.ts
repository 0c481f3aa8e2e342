/** The catalogue: menu, import/export, sold-out toggles, stock levels and pictures. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Type } from "typebox";
import { importMenu, menuResponse, setAvailability, setStock } from "../../commands/catalogue.ts";
import { actorOf, type CommandContext } from "../../commands/context.ts";
import { currentMenu } from "../../journal/catalogue-store.ts";
import { AppError } from "../../lib/errors.ts";
import { ErrorBody, Slug } from "../../../protocol/schemas/common.ts";
import {
  Availability,
  AvailabilityChange,
  Menu,
  MenuResponse,
  PictureRef,
  PictureSaved,
  StockLevel,
} from "../../../protocol/schemas/menu.ts";
import { PICTURE_TYPES, savePicture } from "../../pictures/store.ts";
import { principalOf } from "../auth.ts";
import { PICTURE_HEADERS } from "../security-headers.ts";
import type { RoutePlugin } from "../deps.ts";

const PICTURE_LIMIT = 2 * 1024 * 1024;

export interface MenuRouteOptions {
  ctx: CommandContext;
  /** Folders searched, in order, for menu pictures. */
  pictureDirs: readonly string[];
}

export const menuRoutes: RoutePlugin<MenuRouteOptions> = (app, deps, done) => {
  const { ctx } = deps;
  app.get(
    "/api/menu",
    {
      config: { access: ["menu:read"] },
      schema: { tags: ["menu"], summary: "The menu with live availability", response: { 200: MenuResponse } },
    },
    () => menuResponse(ctx),
  );
  app.get(
    "/api/menu/export",
    {
      config: { access: ["menu:write"] },
      schema: { tags: ["menu"], summary: "The menu as an importable JSON document", response: { 200: Menu } },
    },
    async (_request, reply) => {
      const stored = currentMenu(ctx.journal);
      if (!stored) throw new AppError("unknown_item", "no menu has been loaded yet");
      return reply
        .header("Content-Disposition", `attachment; filename="menu-v${stored.version}.json"`)
        .send(stored.menu);
    },
  );
  app.put(
    "/api/menu",
    {
      config: { access: ["menu:write"] },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ["menu"],
        summary: "Replace the menu; every schema and reference error is listed in error.details.errors",
        // The handler validates (schema + references) so that all errors come back as one menu_invalid.
        body: { ...Menu, "x-validated-by-handler": true },
        response: { 200: Type.Object({ version: Type.Integer(), unchanged: Type.Boolean() }), 422: ErrorBody },
      },
    },
    (request) => {
      const { version, unchanged } = importMenu(ctx, actorOf(principalOf(request)), request.body);
      return { version, unchanged };
    },
  );
  app.put(
    "/api/menu/availability",
    {
      config: { access: ["menu:availability"] },
      schema: {
        tags: ["menu"],
        summary: "Mark an item or option sold out (86) or available again",
        body: AvailabilityChange,
        response: { 200: Availability },
      },
    },
    (request) => {
      return setAvailability(ctx, principalOf(request), request.body).availability;
    },
  );
  app.put(
    "/api/stock/:itemId",
    {
      config: { access: ["stock:write"] },
      schema: {
        tags: ["menu"],
        summary: "Set units on hand of an item that tracks stock",
        params: Type.Object({ itemId: Slug }),
        body: StockLevel,
        response: { 200: Availability },
      },
    },
    (request) => {
      return setStock(ctx, principalOf(request), request.params.itemId, request.body.onHand).availability;
    },
  );

  for (const type of Object.values(PICTURE_TYPES)) {
    app.addContentTypeParser(type, { parseAs: "buffer", bodyLimit: PICTURE_LIMIT }, (_request, body, done) => {
      done(null, body);
    });
  }
  app.put(
    "/api/menu/pictures/:name",
    {
      config: { access: ["menu:write"] },
      bodyLimit: PICTURE_LIMIT,
      schema: {
        tags: ["menu"],
        summary:
          "Upload a picture the menu refers to (SVG, WebP, PNG or JPEG). An SVG is stored sanitised: drawing only, no script, links or outside references; `removed` says what was taken out",
        params: Type.Object({ name: PictureRef }),
        body: { "x-validated-by-handler": true },
        response: { 200: PictureSaved, 415: ErrorBody, 422: ErrorBody },
      },
    },
    async (request, reply) => {
      const extension = request.params.name.split(".").pop() ?? "";
      const expected = PICTURE_TYPES[extension];
      const body: unknown = request.body;
      if (!expected || request.headers["content-type"] !== expected || !Buffer.isBuffer(body)) {
        throw new AppError(
          "unsupported_media_type",
          `send the picture as ${expected ?? "an image"} matching its file extension`,
        );
      }
      const saved = await savePicture(join(ctx.config.dataDir, "pictures"), request.params.name, body);
      if (saved.removed.length > 0)
        request.log.warn({ picture: saved.name, removed: saved.removed }, "uploaded picture sanitised");
      return reply.code(200).send({ ...saved, removed: [...saved.removed] });
    },
  );
  app.get(
    "/media/pictures/:name",
    { config: { securityHeaders: PICTURE_HEADERS }, schema: { hide: true, params: Type.Object({ name: PictureRef }) } },
    async (request, reply) => {
      const type = PICTURE_TYPES[request.params.name.split(".").pop() ?? ""] ?? "application/octet-stream";
      for (const dir of deps.pictureDirs) {
        try {
          const data = await readFile(join(dir, request.params.name));
          return await reply.type(type).header("Cache-Control", "public, max-age=3600").send(data);
        } catch {
          // try the next folder
        }
      }
      return reply.code(404).send({ error: { code: "route_not_found", message: `no picture ${request.params.name}` } });
    },
  );
  done();
};
