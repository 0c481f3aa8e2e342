/**
 * The one HTML entry page every screen is generated from (vite.config.ts fills it per entry of
 * the screen registry, `SCREENS` in protocol/index.ts, for `vite build` and the dev server).
 * galleyd serves the result as ui/dist/<page>.html; what it and the tests rely on stays here:
 * no inline script (the pages' CSP forbids it), `data-screen`, the `<title>` and the noscript.
 */
import type { ScreenPage } from "../protocol/index.ts";

export interface PageFill {
  page: ScreenPage;
  documentTitle: string;
}

/** The kiosk and the counter stand in bright rooms; the kitchen, the board and the admin page are dark. */
const COLOR_SCHEME: Readonly<Record<ScreenPage, "light" | "dark">> = {
  kiosk: "light",
  kitchen: "dark",
  board: "dark",
  counter: "light",
  admin: "dark",
};

const escapeHtml = (text: string): string => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page of one screen: its app element `galley-<page>-app`, its script `./src/apps/<page>/main.ts`. */
export function screenPageHtml({ page, documentTitle }: PageFill): string {
  return `<!doctype html>
<html lang="en" data-screen="${page}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
    <meta name="color-scheme" content="${COLOR_SCHEME[page]}" />
    <meta name="robots" content="noindex" />
    <link rel="icon" href="data:," />
    <title>${escapeHtml(documentTitle)}</title>
    <script type="module" src="./src/apps/${page}/main.ts"></script>
  </head>
  <body>
    <galley-${page}-app></galley-${page}-app>
    <noscript>This screen needs JavaScript.</noscript>
  </body>
</html>
`;
}
