/**
 * The setup page itself: one self-contained HTML document (no build, no external files), since
 * it must work on a phone joined to the board's hotspot and on the board's own screen before
 * anything else is configured. The board's screen sees the code; a phone sees the form.
 * The form posts JSON to /api/setup and then follows /api/setup until the board restarts.
 */
const STYLE = `
  :root { color-scheme: light; font-family: system-ui, sans-serif; background: #f6f2eb; color: #1f1a14; }
  body { margin: 0 auto; max-width: 40rem; padding: 1.5rem; }
  h1 { font-size: 1.8rem; margin: 0 0 .5rem; }
  .code { font-size: 4rem; font-weight: 800; letter-spacing: .4rem; font-variant-numeric: tabular-nums; margin: .5rem 0; }
  .panel { background: #fff; border-radius: 12px; padding: 1rem 1.25rem; margin: 1rem 0; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  label { display: block; font-weight: 600; margin: .9rem 0 .3rem; }
  input, select { width: 100%; box-sizing: border-box; font: inherit; padding: .7rem; border: 1px solid #b9ad9c; border-radius: 8px; background: #fff; }
  fieldset { border: 1px solid #d8cfc2; border-radius: 10px; margin: 1rem 0; padding: .25rem 1rem 1rem; }
  small { color: #5a5045; }
  button { margin-top: 1.25rem; width: 100%; font: inherit; font-weight: 700; padding: .9rem; border: 0; border-radius: 999px; background: #b5400d; color: #fff; }
  #status { font-weight: 600; }
  #status.bad { color: #a11a1a; }
  ul.errors { color: #a11a1a; }
`;

const SCRIPT = `
const form = document.getElementById("setup");
const status = document.getElementById("status");
const errors = document.getElementById("errors");
const codeBox = document.getElementById("screen-code");
let submitted = false;
function say(text, bad) { status.textContent = text; status.className = bad ? "bad" : ""; }
function showErrors(list) {
  errors.replaceChildren(...list.map((e) => { const li = document.createElement("li"); li.textContent = e; return li; }));
}
async function poll() {
  try {
    const s = await (await fetch("/api/setup", { cache: "no-store" })).json();
    if (codeBox && s.code) codeBox.textContent = s.code;
    showErrors(s.errors);
    if (s.state === "done") say("Set up. The board restarts with its new settings.");
    else if (s.state === "applying") say("Applying the setup…");
    else if (submitted && s.errors.length > 0) say("The board did not take this setup: fix the points below and send it again.", true);
  } catch { if (submitted) say("The board is restarting…"); }
}
const value = (name) => form.elements[name].value.trim();
form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { code: value("code"), name: value("name"), role: value("role"), timezone: value("timezone") };
  if (value("hub")) body.hub = value("hub");
  if (value("display")) body.display = value("display");
  const store = {};
  if (value("storeName")) store.name = value("storeName");
  if (value("currency")) store.currency = value("currency").toUpperCase();
  if (Object.keys(store).length > 0) body.store = store;
  if (value("ssid")) {
    body.wifi = { ssid: value("ssid") };
    if (value("psk")) body.wifi.psk = form.elements.psk.value;
    if (value("country")) body.wifi.country = value("country").toUpperCase();
  }
  if (value("adminPin")) body.adminPin = value("adminPin");
  say("Sending…");
  const reply = await fetch("/api/setup", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (reply.ok) { submitted = true; say("Applying the setup…"); return; }
  const problem = await reply.json().catch(() => ({}));
  say(problem.error?.message ?? "The board refused the setup.", true);
});
poll();
setInterval(poll, 2000);
`;

/** The page's inline style and script, for the route's Content-Security-Policy hashes. */
export const SETUP_PAGE_INLINE = { styles: [STYLE], scripts: [SCRIPT] } as const;

const escape = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);

function field(name: string, label: string, attributes: string, hint = ""): string {
  return `<label for="${name}">${label}</label><input id="${name}" name="${name}" ${attributes}>${hint ? `<small>${hint}</small>` : ""}`;
}

/** The page for a board that waits for its setup; `code` only for the board's own screen. */
export function setupPage(options: { code?: string; timezone: string }): string {
  const codePanel = options.code
    ? `<div class="panel"><p>Join the Wi-Fi <b>Galley-…</b> with a phone or laptop, open <b>http://10.42.0.1:8080/setup</b> (or this board's address on Ethernet) and type this code:</p><div class="code" id="screen-code">${escape(options.code)}</div></div>`
    : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Galley · board setup</title><style>${STYLE}</style></head>
<body><main>
<h1>Set up this Galley board</h1>
<p>This board has no setup yet. Everything here can also come from a <code>galley-setup.json</code> file on the SD card (docs/technician.md).</p>
${codePanel}
<p id="status" role="status" aria-live="polite"></p>
<ul class="errors" id="errors"></ul>
<form id="setup" class="panel">
${field("code", "Code on the board's screen", 'required inputmode="numeric" pattern="[0-9]{6}" autocomplete="off"')}
${field("name", "Board name", 'required pattern="[a-z0-9]([a-z0-9\\-]{0,61}[a-z0-9])?" placeholder="galley-store-12"', "Lower-case letters, digits and dashes.")}
<label for="role">Role</label><select id="role" name="role"><option value="hub">Hub: runs the orders (one per store)</option><option value="screen">Screen only: shows a page of the hub</option></select>
${field("hub", "Hub address (screen-only boards)", 'type="url" placeholder="http://galley-store-12.local:8080"')}
${field("display", "This board's screen shows", 'list="displays" placeholder="/kitchen"', "/kiosk, /kitchen, /board, none, or a full URL.")}
<datalist id="displays"><option value="/kiosk"><option value="/kitchen"><option value="/board"><option value="none"></datalist>
${field("timezone", "Time zone", `required value="${escape(options.timezone)}"`, "For example Europe/Berlin.")}
<fieldset><legend>Store</legend>
${field("storeName", "Store name", 'maxlength="80"')}
${field("currency", "Currency", 'pattern="[A-Za-z]{3}" placeholder="EUR"')}
</fieldset>
<fieldset><legend>Wi-Fi (leave empty for Ethernet)</legend>
${field("ssid", "Network name", 'maxlength="32"')}
${field("psk", "Password", 'type="password" minlength="8" maxlength="63" autocomplete="off"')}
${field("country", "Country code", 'pattern="[A-Za-z]{2}" placeholder="DE"')}
</fieldset>
${field("adminPin", "Admin PIN", 'type="password" inputmode="numeric" pattern="[0-9]{4,8}" autocomplete="off"', "4 to 8 digits, for /admin. Leave empty to keep the PIN the board made (in its log).")}
<button type="submit">Set up the board</button>
</form>
</main><script type="module">${SCRIPT}</script></body></html>`;
}

/** What /setup says on a board that is already set up. */
export function setUpPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Galley · board setup</title><style>${STYLE}</style></head>
<body><main><h1>This board is set up</h1><p>Change its settings from <a href="/admin">/admin</a>.</p></main></body></html>`;
}
