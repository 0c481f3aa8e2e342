/**
 * Menu pictures are served from galleyd's own origin, next to the admin token, so an uploaded SVG
 * that keeps a script, an event handler or an external reference is stored cross-site scripting
 * (the security finding against PUT /api/menu/pictures/:name). Every payload below either is
 * refused or comes out with nothing that runs or loads; the shipped demo pictures come out unchanged.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { SaxesParser } from "saxes";
import { AppError } from "../../../appliance/lib/errors.ts";
import { SVG_MAX_BYTES, SVG_MAX_DEPTH, SVG_MAX_USES, sanitizeSvg } from "../../../appliance/pictures/sanitize-svg.ts";
import { SVG_ALLOWED_ELEMENTS } from "../../../appliance/pictures/svg-policy.ts";
import { checkRasterPicture, isRasterKind } from "../../../appliance/pictures/sniff.ts";

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";
const XHTML_NS = "http://www.w3.org/1999/xhtml";
const DEMO_PICTURES = join(import.meta.dirname, "../../../appliance/demo-menu/pictures");

type ParsedElement = { uri: string; local: string; attributes: Record<string, string> };

/** Re-parses with a second, independent saxes parser: throws unless the text is well-formed XML. */
function parseElements(xml: string): ParsedElement[] {
  const elements: ParsedElement[] = [];
  const parser = new SaxesParser({ xmlns: true });
  parser.on("opentag", (tag) => {
    const attributes: Record<string, string> = {};
    for (const attribute of Object.values(tag.attributes)) {
      // Namespace declarations are where the writer puts its own; compare content only.
      if (attribute.uri === "http://www.w3.org/2000/xmlns/") continue;
      attributes[attribute.uri === "" ? attribute.local : `{${attribute.uri}}${attribute.local}`] = attribute.value;
    }
    elements.push({ uri: tag.uri, local: tag.local, attributes });
  });
  parser.write(xml).close();
  return elements;
}

/** What "harmless" means for a sanitised picture; reused by the corpus and the property. */
function assertHarmless(svg: string): void {
  const elements = parseElements(svg);
  assert.equal(elements[0]?.local, "svg");
  for (const element of elements) {
    assert.equal(element.uri, SVG_NS, `element ${element.local} outside the SVG namespace`);
    assert.ok(SVG_ALLOWED_ELEMENTS.has(element.local), `element ${element.local} is not on the allowlist`);
    for (const [name, value] of Object.entries(element.attributes)) {
      assert.doesNotMatch(name, /^(\{[^}]*\})?on/i, `event handler ${name} on ${element.local}`);
      if (/href$/.test(name))
        assert.match(value, /^#/, `${name}="${value}" on ${element.local} is not a local reference`);
    }
  }
  // The same judgement on the raw text, which also covers <style> content.
  const withoutNamespaces = svg.replace(/ xmlns(:xlink)?="[^"]*"/g, "");
  for (const forbidden of [
    /script/i,
    /\bon[a-z]*\s*=/i,
    /javascript:/i,
    /foreignObject/i,
    /https?:/i,
    /file:/i,
    /data:/i,
    /@import/i,
    /\\/,
  ]) {
    assert.doesNotMatch(withoutNamespaces, forbidden, `sanitised output matches ${forbidden}:\n${svg}`);
  }
}

function assertRefused(run: () => unknown, message?: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    assert.equal(error.code, "picture_invalid");
    assert.equal(error.status, 422);
    if (message) assert.match(error.message, message);
    return true;
  });
}

/** A valid picture around `body`, with one shape that must survive so "removed everything" fails. */
function picture(body: string, rootAttributes = ""): string {
  return `<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" viewBox="0 0 10 10"${rootAttributes}><rect id="keep" width="4" height="4" fill="#c00"/>${body}</svg>`;
}

type SanitisedCase = { name: string; input: string; removed: string };
const SANITISED: readonly SanitisedCase[] = [
  { name: "script element", input: picture("<script>alert(document.cookie)</script>"), removed: "element script" },
  {
    name: "script with an external source",
    input: picture('<script xlink:href="https://evil/x.js"/>'),
    removed: "element script",
  },
  { name: "onload on the root", input: picture("", ' onload="alert(1)"'), removed: "attribute onload on svg" },
  { name: "upper-case ONLOAD", input: picture("", ' ONLOAD="alert(1)"'), removed: "attribute ONLOAD on svg" },
  {
    name: "onclick on a shape",
    input: picture('<circle r="2" onclick="alert(1)"/>'),
    removed: "attribute onclick on circle",
  },
  {
    name: "namespaced event handler",
    input: picture('<g xmlns:ev="http://www.w3.org/2001/xml-events" ev:onfocusin="alert(1)"/>'),
    removed: "attribute ev:onfocusin on g",
  },
  {
    name: "javascript: link",
    input: picture('<a href="javascript:alert(1)"><text>menu</text></a>'),
    removed: "element a",
  },
  {
    name: "xlink javascript: link",
    input: picture('<a xlink:href="javascript:alert(1)"><rect width="1" height="1"/></a>'),
    removed: "element a",
  },
  {
    name: "foreignObject with an iframe",
    input: picture(
      `<foreignObject width="10" height="10"><iframe xmlns="${XHTML_NS}" src="javascript:alert(1)"/></foreignObject>`,
    ),
    removed: "element foreignObject",
  },
  {
    name: "use with an external href",
    input: picture('<use href="https://evil/x.svg#a"/>'),
    removed: "attribute href on use (external reference)",
  },
  {
    name: "use with an external xlink:href",
    input: picture('<use xlink:href="https://evil/x.svg#a"/>'),
    removed: "attribute xlink:href on use (external reference)",
  },
  {
    name: "xlink under another prefix",
    input: picture(`<use xmlns:xl="${XLINK_NS}" xl:href="//evil/x.svg#a"/>`),
    removed: "attribute xl:href on use (external reference)",
  },
  {
    name: "javascript: href spelled with a character reference",
    input: picture('<use href="&#106;avascript:alert(1)"/>'),
    removed: "attribute href on use (external reference)",
  },
  {
    name: "local href on an element that takes none",
    input: picture('<rect xlink:href="#keep" width="1" height="1"/>'),
    removed: "attribute xlink:href on rect",
  },
  {
    name: "image with a data URL",
    input: picture('<image href="data:image/svg+xml;base64,PHN2Zy8+" width="10" height="10"/>'),
    removed: "element image",
  },
  {
    name: "image with an external URL",
    input: picture('<image xlink:href="https://evil/x.png"/>'),
    removed: "element image",
  },
  {
    name: "animate setting href",
    input: picture('<a><animate attributeName="href" to="javascript:alert(1)"/><text>x</text></a>'),
    removed: "element a",
  },
  {
    name: "animate on its own",
    input: picture('<use href="#keep"><animate attributeName="href" values="javascript:alert(1)"/></use>'),
    removed: "element animate",
  },
  {
    name: "set an event handler",
    input: picture('<rect width="1" height="1"><set attributeName="onmouseover" to="alert(1)"/></rect>'),
    removed: "element set",
  },
  {
    name: "animateTransform and animateMotion",
    input: picture('<g><animateTransform attributeName="transform" type="rotate"/><animateMotion path="M0 0"/></g>'),
    removed: "element animateTransform",
  },
  {
    name: "style attribute loading a URL",
    input: picture('<rect width="1" height="1" style="background:url(https://evil)"/>'),
    removed: "attribute style on rect (unsafe value: url() that is not a local #id)",
  },
  {
    name: "fill with an external url()",
    input: picture('<rect width="1" height="1" fill="url(https://evil/p.svg#p)"/>'),
    removed: "attribute fill on rect (unsafe value: url() that is not a local #id)",
  },
  {
    name: "upper-case URL()",
    input: picture('<rect width="1" height="1" style="fill:URL( \'//evil/x\' )"/>'),
    removed: "attribute style on rect (unsafe value: url() that is not a local #id)",
  },
  {
    name: "style element with @import",
    input: picture("<style>@import url(https://evil/x.css);</style>"),
    removed: "element style (unsafe value: @import)",
  },
  {
    name: "style element with a bare @import",
    input: picture('<style>@import "https://evil/x.css";</style>'),
    removed: "element style (unsafe value: @import)",
  },
  {
    name: "style element with an external url()",
    input: picture("<style>rect { fill: url(https://evil/p.svg#p) }</style>"),
    removed: "element style (unsafe value: url() that is not a local #id)",
  },
  {
    name: "style element with image-set()",
    input: picture('<style>rect { background: image-set("https://evil/x.png" 1x) }</style>'),
    removed: "element style (unsafe value: image-set()",
  },
  {
    name: "CSS escape in a style element",
    input: picture("<style>rect { fill: \\75rl(https://evil) }</style>"),
    removed: "element style (unsafe value: backslash escape)",
  },
  {
    name: "CSS escape in a style attribute",
    input: picture('<rect width="1" height="1" style="fill:u\\72l(https://evil)"/>'),
    removed: "attribute style on rect (unsafe value: backslash escape)",
  },
  {
    name: "CSS expression()",
    input: picture('<rect width="1" height="1" style="width:expression(alert(1))"/>'),
    removed: "attribute style on rect (unsafe value: expression()",
  },
  {
    name: "style CDATA closing the style in HTML",
    input: picture("<style><![CDATA[</style><script>alert(1)</script>]]></style>"),
    removed: "element style (unsafe value: <)",
  },
  {
    name: "javascript: split by a tab",
    input: picture('<rect width="1" height="1" fill="java&#9;script:alert(1)"/>'),
    removed: "attribute fill on rect (unsafe value: javascript:)",
  },
  {
    name: "mixed-case SCRIPT is an unknown element",
    input: picture("<SCRIPT>alert(1)</SCRIPT>"),
    removed: "element SCRIPT",
  },
  {
    name: "script under an SVG-bound prefix",
    input: picture(`<x:script xmlns:x="${SVG_NS}">alert(1)</x:script>`),
    removed: "element script",
  },
  {
    name: "XHTML script inside",
    input: picture(`<h:script xmlns:h="${XHTML_NS}">alert(1)</h:script>`),
    removed: `element h:script (namespace ${XHTML_NS})`,
  },
  {
    name: "unnamespaced element",
    input: picture('<script xmlns="">alert(1)</script>'),
    removed: "element script (no namespace)",
  },
  {
    name: "editor metadata",
    input: picture('<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'),
    removed: "element metadata",
  },
  {
    name: "Inkscape namespaces",
    input: picture(
      '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" id="n"/><g xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" inkscape:label="Layer 1"/>',
    ),
    removed: "attribute inkscape:label on g",
  },
  {
    name: "feImage loading a URL",
    input: picture('<filter id="f"><feImage href="https://evil/x.png"/></filter>'),
    removed: "element feImage",
  },
  { name: "iframe and embed and object", input: picture("<iframe/><embed/><object/>"), removed: "element embed" },
  {
    name: "element nested in style",
    input: picture("<style>rect{fill:red}<script>alert(1)</script></style>"),
    removed: "element script inside style",
  },
];

type RefusedCase = { name: string; input: string | Buffer; message: RegExp };
const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol9 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<svg xmlns="${SVG_NS}"><text>&lol9;</text></svg>`;
const REFUSED: readonly RefusedCase[] = [
  { name: "billion laughs", input: BILLION_LAUGHS, message: /DOCTYPE/ },
  {
    name: "XXE",
    input: `<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="${SVG_NS}"><text>&x;</text></svg>`,
    message: /DOCTYPE/,
  },
  {
    name: "external DTD",
    input: `<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="${SVG_NS}"/>`,
    message: /DOCTYPE/,
  },
  {
    name: "undeclared entity",
    input: `<svg xmlns="${SVG_NS}"><text>&x;</text></svg>`,
    message: /well-formed.*undefined entity/,
  },
  {
    name: "xml-stylesheet processing instruction",
    input: `<?xml-stylesheet href="https://evil/x.css"?><svg xmlns="${SVG_NS}"/>`,
    message: /processing instruction <\?xml-stylesheet\?>/,
  },
  {
    name: "processing instruction inside",
    input: `<svg xmlns="${SVG_NS}"><?php echo 1; ?></svg>`,
    message: /processing instruction/,
  },
  {
    name: "XHTML root",
    input: `<svg xmlns="${XHTML_NS}"><script>alert(1)</script></svg>`,
    message: /root element is <svg> in namespace "http:\/\/www.w3.org\/1999\/xhtml"/,
  },
  { name: "root without a namespace", input: "<svg><script>alert(1)</script></svg>", message: /root element/ },
  { name: "root that is not svg", input: `<html xmlns="${SVG_NS}"/>`, message: /root element is <html>/ },
  {
    name: "HTML page",
    input: "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>",
    message: /DOCTYPE/,
  },
  {
    name: "HTML without a doctype",
    input: "<html><head><title>x</title></head><body><img src=x onerror=alert(1)></body></html>",
    message: /root element is <html>/,
  },
  { name: "HTML fragment", input: "<img src=x onerror=alert(1)>", message: /well-formed/ },
  { name: "garbage", input: "GIF89a not xml at all", message: /well-formed/ },
  { name: "empty", input: "", message: /well-formed/ },
  { name: "unclosed element", input: `<svg xmlns="${SVG_NS}"><g>`, message: /well-formed/ },
  {
    name: "unbound prefix",
    input: `<svg xmlns="${SVG_NS}"><use XLINK:href="https://evil"/></svg>`,
    message: /well-formed.*unbound/,
  },
  {
    name: "duplicate attribute",
    input: `<svg xmlns="${SVG_NS}"><rect fill="red" fill="url(https://evil)"/></svg>`,
    message: /well-formed.*duplicate/,
  },
  { name: "not UTF-8", input: Buffer.from([0x3c, 0x73, 0x76, 0x67, 0xff, 0xfe, 0x3e]), message: /not UTF-8/ },
  {
    name: "UTF-16 declared",
    input: `<?xml version="1.0" encoding="UTF-16"?><svg xmlns="${SVG_NS}"/>`,
    message: /encoding UTF-16/,
  },
  {
    name: "a control character by reference",
    input: `<svg xmlns="${SVG_NS}"><text>&#1;</text></svg>`,
    message: /well-formed/,
  },
];

describe("sanitizeSvg: malicious corpus", () => {
  for (const { name, input, removed } of SANITISED) {
    it(`sanitises ${name}`, () => {
      const result = sanitizeSvg(input);
      assertHarmless(result.svg);
      assert.ok(
        result.removed.includes(removed),
        `removed ${JSON.stringify(result.removed)} lacks ${JSON.stringify(removed)}`,
      );
      assert.match(
        result.svg,
        /<rect id="keep" width="4" height="4" fill="#c00"\/>/,
        "the harmless shape must survive",
      );
    });
  }
  for (const { name, input, message } of REFUSED) {
    it(`refuses ${name}`, () => {
      assertRefused(() => sanitizeSvg(input), message);
    });
  }

  it("keeps local references, gradients, filters, text and safe CSS", () => {
    const input = picture(
      '<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#fff"/></linearGradient>' +
        '<radialGradient id="h" xlink:href="#g"/><filter id="f"><feGaussianBlur stdDeviation="1"/></filter></defs>' +
        '<use href="#keep" x="5"/><circle r="2" fill="url(#g)" filter="url(\'#f\')"/>' +
        "<style><![CDATA[ rect > circle { fill: url(#h) } ]]></style>" +
        '<text x="1" font-family="Fira Sans" xml:space="preserve">Fish &amp; chips &lt;3</text>',
    );
    const { svg, removed } = sanitizeSvg(input);
    assert.deepEqual(removed, []);
    assertHarmless(svg);
    assert.match(
      svg,
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" xmlns:xlink="http:\/\/www.w3.org\/1999\/xlink" viewBox="0 0 10 10">/,
    );
    assert.match(svg, /<radialGradient id="h" xlink:href="#g"\/>/);
    assert.match(svg, /<use href="#keep" x="5"\/>/);
    assert.match(svg, /filter="url\('#f'\)"/);
    assert.match(svg, /<style> rect &gt; circle \{ fill: url\(#h\) \} <\/style>/);
    assert.match(svg, /<text x="1" font-family="Fira Sans" xml:space="preserve">Fish &amp; chips &lt;3<\/text>/);
  });

  it("declares xlink only when an xlink:href survived", () => {
    const { svg } = sanitizeSvg(picture('<use xlink:href="https://evil/x.svg#a"/>'));
    assert.doesNotMatch(svg, /xmlns:xlink/);
  });

  it("escapes quotes, ampersands and line breaks in attribute values so they round-trip", () => {
    const { svg } = sanitizeSvg(`<svg xmlns="${SVG_NS}"><g id="a&quot;b&amp;c&#10;d" class='x"y'/></svg>`);
    assert.deepEqual(parseElements(svg)[1]?.attributes, { id: 'a"b&c\nd', class: 'x"y' });
  });

  it("accepts nesting up to the limit and refuses one level more", () => {
    const nested = (levels: number) =>
      `<svg xmlns="${SVG_NS}">${"<g>".repeat(levels - 1)}${"</g>".repeat(levels - 1)}</svg>`;
    assert.equal(sanitizeSvg(nested(SVG_MAX_DEPTH)).removed.length, 0);
    assertRefused(() => sanitizeSvg(nested(SVG_MAX_DEPTH + 1)), /deeper than 64/);
  });

  it("keeps the first 16 <use> copies and drops the rest, so uses of uses cannot multiply without end", () => {
    // Each level uses the previous one twice: 2^30 copies if every <use> were kept.
    const levels = Array.from(
      { length: 30 },
      (_, i) => `<g id="l${i + 1}"><use href="#l${i}"/><use href="#l${i}"/></g>`,
    ).join("");
    const { svg, removed } = sanitizeSvg(picture(`<defs><rect id="l0" width="1" height="1"/>${levels}</defs>`));
    assert.equal(parseElements(svg).filter((e) => e.local === "use").length, SVG_MAX_USES);
    assert.ok(
      removed.some((r) => r.startsWith("element use after the first 16")),
      removed.join("; "),
    );
  });

  it("keeps the list of removals short enough for one log line", () => {
    const attributes = Array.from({ length: 500 }, (_, i) => ` data-${i}="x"`).join("");
    const { removed } = sanitizeSvg(picture(`<g${attributes}/>`));
    assert.equal(removed.length, 101);
    assert.equal(removed.at(-1), "… and 400 more");
  });

  it("refuses input over the size limit before parsing it", () => {
    const padding = " ".repeat(SVG_MAX_BYTES);
    assertRefused(() => sanitizeSvg(Buffer.from(`<svg xmlns="${SVG_NS}">${padding}</svg>`)), /limit is 2097152/);
  });

  it("reads a Buffer with a UTF-8 byte order mark", () => {
    const { svg } = sanitizeSvg(
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><svg xmlns="${SVG_NS}"><title>Crêpe</title></svg>`),
      ]),
    );
    assert.equal(svg, `<svg xmlns="${SVG_NS}"><title>Crêpe</title></svg>\n`);
  });
});

describe("sanitizeSvg: shipped demo pictures", () => {
  const files = readdirSync(DEMO_PICTURES).filter((file) => file.endsWith(".svg"));

  it("finds the demo pictures", () => {
    assert.ok(files.length > 0, `no SVGs in ${DEMO_PICTURES}`);
  });
  for (const file of files) {
    it(`keeps ${file} intact`, () => {
      const original = readFileSync(join(DEMO_PICTURES, file));
      const { svg, removed } = sanitizeSvg(original);
      assert.deepEqual(removed, []);
      assert.deepEqual(parseElements(svg), parseElements(original.toString("utf8")));
    });
  }
});

describe("sanitizeSvg: property", () => {
  const DANGEROUS_ELEMENTS = [
    "script",
    "SCRIPT",
    "foreignObject",
    "a",
    "image",
    "animate",
    "set",
    "iframe",
    "x:script",
    "h:script",
    "h:iframe",
    "feImage",
    "style",
  ];
  const DANGEROUS_ATTRIBUTES = [
    "onload",
    "ONLOAD",
    "onClick",
    "href",
    "xlink:href",
    "style",
    "fill",
    "x:onload",
    "h:onerror",
    "xlink:onload",
    "attributeName",
    "to",
    "values",
    "begin",
  ];
  const xmlName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,10}$/);
  const elementName = fc.oneof(
    fc.constantFrom(...SVG_ALLOWED_ELEMENTS),
    fc.constantFrom(...DANGEROUS_ELEMENTS),
    xmlName,
  );
  const attributeName = fc.oneof(
    fc.constantFrom(...DANGEROUS_ATTRIBUTES),
    xmlName,
    xmlName.map((name) => `on${name}`),
  );
  const attributeValue = fc.oneof(
    fc.string(),
    fc.string({ unit: "binary" }),
    fc.constantFrom(
      "javascript:alert(1)",
      "#keep",
      "url(#keep)",
      "url(https://evil)",
      "https://evil/x.svg#a",
      "data:text/html,x",
      "fill:u\\72l(x)",
      "@import 'x'",
    ),
  );
  type Node = { name: string; attributes: [string, string][]; text: string; children: Node[] };
  const attributes = fc.uniqueArray(fc.tuple(attributeName, attributeValue), {
    maxLength: 4,
    selector: ([name]) => name,
  });
  const nodeWith = (children: fc.Arbitrary<Node[]>): fc.Arbitrary<Node> =>
    fc.record({ name: elementName, attributes, text: fc.oneof(fc.constant(""), fc.string()), children });
  // Three levels are enough to put a kept element inside a dropped one and the other way round.
  const node = nodeWith(fc.array(nodeWith(fc.array(nodeWith(fc.constant([])), { maxLength: 3 })), { maxLength: 3 }));
  const escape = (value: string) => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  const render = (n: Node): string =>
    `<${n.name}${n.attributes.map(([name, value]) => ` ${name}="${escape(value)}"`).join("")}>${escape(n.text)}${n.children.map(render).join("")}</${n.name}>`;

  it("writes well-formed, handler-free, allowlisted SVG for any injected elements and attributes", () => {
    let accepted = 0;
    let runs = 0;
    fc.assert(
      fc.property(fc.array(node, { maxLength: 4 }), attributes, (nodes, rootAttributes) => {
        runs += 1;
        const input =
          `<svg xmlns="${SVG_NS}" xmlns:xlink="${XLINK_NS}" xmlns:x="${SVG_NS}" xmlns:h="${XHTML_NS}"` +
          `${rootAttributes.map(([name, value]) => ` ${name}="${escape(value)}"`).join("")}>` +
          `<rect id="keep" width="1" height="1"/>${nodes.map(render).join("")}</svg>`;
        let result;
        try {
          result = sanitizeSvg(input);
        } catch (error) {
          // Refusing is a safe answer (e.g. a binary string with a character XML 1.0 forbids).
          assert.ok(error instanceof AppError, `unexpected ${String(error)}`);
          return;
        }
        accepted += 1;
        for (const element of parseElements(result.svg)) {
          assert.equal(element.uri, SVG_NS);
          assert.ok(SVG_ALLOWED_ELEMENTS.has(element.local), `element ${element.local} is not on the allowlist`);
          for (const [name, value] of Object.entries(element.attributes)) {
            assert.doesNotMatch(name, /^(\{[^}]*\})?on/i);
            assert.doesNotMatch(value.toLowerCase(), /javascript:|url\((?!\s*['"]?#)/);
            if (/href$/.test(name)) assert.match(value, /^#/);
          }
        }
        // Sanitising is idempotent: a clean picture has nothing left to remove.
        const again = sanitizeSvg(result.svg);
        assert.deepEqual(again.removed, []);
        assert.equal(again.svg, result.svg);
      }),
      { numRuns: 300 },
    );
    // A property that only ever sees refusals proves nothing about the writer.
    assert.ok(accepted > runs / 2, `only ${accepted} of ${runs} generated pictures were accepted`);
  });
});

describe("checkRasterPicture", () => {
  const PNG = Buffer.from([
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  ]);
  const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
  const WEBP = Buffer.concat([
    Buffer.from("RIFF", "latin1"),
    Buffer.from([0x24, 0x00, 0x00, 0x00]),
    Buffer.from("WEBPVP8 ", "latin1"),
  ]);
  const HTML = Buffer.from("<!DOCTYPE html><html><body><script>alert(localStorage.token)</script></body></html>");

  it("accepts real PNG, JPEG and WebP headers", () => {
    checkRasterPicture("png", PNG);
    checkRasterPicture("jpg", JPEG);
    checkRasterPicture("webp", WEBP);
  });

  it("refuses an HTML page named like a raster picture", () => {
    assertRefused(() => {
      checkRasterPicture("png", HTML);
    }, /not a PNG file/);
    assertRefused(() => {
      checkRasterPicture("jpg", HTML);
    }, /not a JPEG file/);
    assertRefused(() => {
      checkRasterPicture("webp", HTML);
    }, /not a WebP file/);
  });

  it("refuses one format named as another, a RIFF that is not WebP, and truncated headers", () => {
    assertRefused(() => {
      checkRasterPicture("png", JPEG);
    });
    assertRefused(() => {
      checkRasterPicture("jpg", PNG);
    });
    assertRefused(() => {
      checkRasterPicture("webp", Buffer.concat([WEBP.subarray(0, 8), Buffer.from("WAVEfmt ", "latin1")]));
    });
    assertRefused(() => {
      checkRasterPicture("png", PNG.subarray(0, 7));
    });
    assertRefused(() => {
      checkRasterPicture("webp", WEBP.subarray(0, 11));
    });
    assertRefused(() => {
      checkRasterPicture("jpg", Buffer.alloc(0));
    });
  });

  it("knows which extensions are raster kinds", () => {
    assert.deepEqual(["png", "jpg", "webp", "svg", "jpeg", "toString"].map(isRasterKind), [
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });
});
