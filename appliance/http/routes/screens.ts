/**
 * The screens: the Vite build of ui/ (ui/dist) served at /kiosk, /kitchen, /board and /admin,
 * with its assets under /ui/. Hashed assets are cached for a year; the pages are revalidated
 * (ETag), so a new build reaches every screen on its next load. Text assets are sent
 * pre-compressed (the build writes `.gz` beside them) to browsers that accept gzip.
 *
 * When the build is missing (a checkout where `npm run build:ui` has not run) each page explains
 * how to make it instead of answering 404.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";
import type { FastifyReply, FastifyRequest } from "fastify";
import { shippedPath } from "../../lib/shipped.ts";
import { inlinePageHeaders } from "../security-headers.ts";
import { SCREEN_PAGES } from "../../../protocol/core/screens.ts";
import type { RoutePlugin } from "../deps.ts";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".webp": "image/webp",
  ".woff2": "font/woff2",
  ".map": "application/json",
};

/** Where the built screens are: ui/dist beside appliance/ (source tree and bundle alike). */
export function screensDir(): string {
  return shippedPath("..", "ui", "dist");
}

export const screenRoutes: RoutePlugin<{ root?: string }> = (app, { root = screensDir() }, done) => {
  for (const page of SCREEN_PAGES) {
    app.get(
      `/${page}`,
      { config: { securityHeaders: PAGE_HEADERS }, schema: { hide: true } },
      async (request, reply) => {
        if (await sendFile(request, reply, join(root, `${page}.html`), "no-cache")) return reply;
        return reply
          .code(503)
          .type("text/html; charset=utf-8")
          .header("Cache-Control", "no-store")
          .send(missingBuildPage(page, root));
      },
    );
  }
  app.get("/ui/*", { schema: { hide: true } }, async (request, reply) => {
    const relative = (request.params as { "*": string })["*"];
    const file = normalize(join(root, relative));
    if (!file.startsWith(root + sep) || relative.includes("\0")) return notFound(reply, relative);
    // Vite names assets by content hash: they never change under the same name.
    const cache = relative.startsWith("assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    if (await sendFile(request, reply, file, cache)) return reply;
    return notFound(reply, relative);
  });
  done();
};

/** Sends `file` (or its .gz) with caching headers; false when there is no such file. */
async function sendFile(
  request: FastifyRequest,
  reply: FastifyReply,
  file: string,
  cacheControl: string,
): Promise<boolean> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return false;
  }
  if (!info.isFile()) return false;
  const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  void reply.header("Cache-Control", cacheControl).header("ETag", etag).header("Vary", "Accept-Encoding");
  void reply.type(TYPES[extname(file)] ?? "application/octet-stream");
  if (request.headers["if-none-match"] === etag) {
    await reply.code(304).send();
    return true;
  }
  if (/\bgzip\b/.test(request.headers["accept-encoding"] ?? "")) {
    let compressed: Buffer | undefined;
    try {
      compressed = await readFile(`${file}.gz`);
    } catch {
      // no pre-compressed copy: send it as it is
    }
    if (compressed) {
      await reply.header("Content-Encoding", "gzip").send(compressed);
      return true;
    }
  }
  await reply.send(await readFile(file));
  return true;
}

function notFound(reply: FastifyReply, path: string): FastifyReply {
  return reply.code(404).send({ error: { code: "route_not_found", message: `no screen asset ${path}` } });
}

const MISSING_BUILD_STYLE = `
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: #0f1216; color: #f3f5f8; font: 18px/1.5 system-ui, sans-serif; }
  main { max-width: 40rem; padding: 2rem; }
  h1 { font-size: 1.8rem; margin: 0 0 1rem; }
  code { background: #222933; padding: 0.15em 0.4em; border-radius: 6px; }
  p { color: #c9d1db; }
`;

/** The screens' policy, plus the missing-build page's own inline style. */
const PAGE_HEADERS = inlinePageHeaders({ styles: [MISSING_BUILD_STYLE] });

function missingBuildPage(page: string, root: string): string {
  const escape = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Galley · screens not built</title>
<style>${MISSING_BUILD_STYLE}</style></head>
<body><main>
  <h1>The ${escape(page)} screen has not been built yet</h1>
  <p>galleyd is running, but the screens (the Vite build of <code>ui/</code>) are missing from <code>${escape(root)}</code>.</p>
  <p>Build them with <code>npm run build:ui</code> (<code>npm start</code> does it for you), then reload this page.</p>
</main></body>
</html>`;
}
