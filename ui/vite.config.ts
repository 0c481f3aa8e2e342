/**
 * One Vite build for every screen: one HTML page and one entry per app, served by galleyd from
 * ui/dist at /kiosk, /kitchen, /board and /admin with the assets under /ui/. Shared code (Lit,
 * the data layer) lands in shared chunks, so each page loads only what it uses.
 *
 * The four HTML pages are not files: the `galley:screen-pages` plugin makes each from the one
 * template (page-template.ts) and the screen registry, in the build and in the dev server alike.
 *
 * Every text asset is also written gzip-compressed beside itself (`.gz`): galleyd serves those
 * to browsers that accept gzip, so a board on a slow LAN or SD card reads a third of the bytes.
 */
import { defineConfig, type Plugin } from "vite";
import { SCREENS } from "../protocol/index.ts";
import { screenPageHtml } from "./page-template.ts";

const root = decodeURIComponent(new URL(".", import.meta.url).pathname);
const COMPRESSIBLE = /\.(js|css|html|svg|json)$/;

async function gzip(source: string | Uint8Array): Promise<Uint8Array> {
  const bytes = typeof source === "string" ? new TextEncoder().encode(source) : source;
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** `<root><page>.html` (the build's entries) → the page generated for that screen. */
const PAGE_FILES = new Map<string, string>(
  SCREENS.map((screen) => [`${root}${screen.page}.html`, screenPageHtml(screen)]),
);

function screenPages(): Plugin {
  return {
    name: "galley:screen-pages",
    enforce: "pre",
    resolveId(id) {
      return PAGE_FILES.has(id) ? id : undefined;
    },
    load(id) {
      return PAGE_FILES.get(id);
    },
    configureServer(server) {
      // Before Vite's own middlewares: `/ui/kiosk.html` (or `/kiosk.html`) is the generated page.
      server.middlewares.use((request, response, next) => {
        const path = (request.url ?? "").split("?")[0]?.replace(/^\/ui\//, "/") ?? "";
        const html = PAGE_FILES.get(`${root}${path.slice(1)}`);
        if (html === undefined) {
          next();
          return;
        }
        server.transformIndexHtml(path, html).then(
          (page) => {
            response.setHeader("Content-Type", "text/html; charset=utf-8");
            response.end(page);
          },
          (error: unknown) => {
            next(error);
          },
        );
      });
    },
  };
}

function precompress(): Plugin {
  return {
    name: "galley:precompress",
    apply: "build",
    enforce: "post",
    // Last of every plugin's generateBundle: Vite fills in its dynamic-import preload lists
    // (`__VITE_PRELOAD__`) in its own, and the .gz must hold the finished code.
    generateBundle: {
      order: "post",
      async handler(_options, bundle) {
        for (const [fileName, output] of Object.entries(bundle)) {
          if (!COMPRESSIBLE.test(fileName)) continue;
          const source = output.type === "chunk" ? output.code : output.source;
          this.emitFile({ type: "asset", fileName: `${fileName}.gz`, source: await gzip(source) });
        }
      },
    },
  };
}

export default defineConfig({
  root,
  base: "/ui/",
  publicDir: false,
  plugins: [screenPages(), precompress()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    manifest: true,
    target: "es2022",
    reportCompressedSize: false,
    rollupOptions: {
      input: Object.fromEntries(SCREENS.map(({ page }) => [page, `${root}${page}.html`])),
    },
  },
  server: {
    // `npm run dev:ui`: the screens with hot reload against a running galleyd (`npm start`).
    proxy: {
      "/api": "http://127.0.0.1:8080",
      "/media": "http://127.0.0.1:8080",
      "/ws": { target: "ws://127.0.0.1:8080", ws: true },
    },
  },
});
