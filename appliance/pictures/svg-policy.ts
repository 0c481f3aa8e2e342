/**
 * What a sanitised SVG may keep: the allowlists of drawing elements and presentation attributes,
 * which elements may carry a local `href` and hold text, and the checks on attribute values and
 * style sheets (no script, no loading, no reference outside the picture but `url(#id)`). Pure
 * tables and string checks; the parser-driven walk that applies them is sanitize-svg.ts.
 */
import type { SaxesAttributeNS } from "saxes";

export const SVG_NS = "http://www.w3.org/2000/svg";
export const XLINK_NS = "http://www.w3.org/1999/xlink";
const XML_NS = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NS = "http://www.w3.org/2000/xmlns/";

/** Drawing elements only: nothing that runs script, embeds other documents, links, animates or loads. */
export const SVG_ALLOWED_ELEMENTS: ReadonlySet<string> = new Set([
  "svg",
  "g",
  "defs",
  "symbol",
  "use",
  "title",
  "desc",
  "style",
  "path",
  "rect",
  "circle",
  "ellipse",
  "line",
  "polyline",
  "polygon",
  "text",
  "tspan",
  "textPath",
  "linearGradient",
  "radialGradient",
  "stop",
  "clipPath",
  "mask",
  "pattern",
  "marker",
  // Filter primitives that only compute pixels; feImage (loads a URL) and the lighting and
  // turbulence primitives (costly, never needed for a menu picture) stay out.
  "filter",
  "feGaussianBlur",
  "feOffset",
  "feBlend",
  "feColorMatrix",
  "feComposite",
  "feFlood",
  "feMerge",
  "feMergeNode",
  "feDropShadow",
  "feMorphology",
]);

/** Geometry and presentation attributes; their values are checked by {@link unsafeValueReason} too. */
const ALLOWED_ATTRIBUTES: ReadonlySet<string> = new Set([
  "id",
  "class",
  "style",
  "lang",
  "version",
  "baseProfile",
  "x",
  "y",
  "width",
  "height",
  "viewBox",
  "preserveAspectRatio",
  "transform",
  "d",
  "pathLength",
  "points",
  "cx",
  "cy",
  "r",
  "rx",
  "ry",
  "fx",
  "fy",
  "fr",
  "x1",
  "y1",
  "x2",
  "y2",
  "fill",
  "fill-opacity",
  "fill-rule",
  "stroke",
  "stroke-width",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-miterlimit",
  "stroke-dasharray",
  "stroke-dashoffset",
  "stroke-opacity",
  "opacity",
  "color",
  "visibility",
  "display",
  "overflow",
  "vector-effect",
  "paint-order",
  "shape-rendering",
  "text-rendering",
  "color-interpolation",
  "color-interpolation-filters",
  "clip-path",
  "clip-rule",
  "clipPathUnits",
  "mask",
  "maskUnits",
  "maskContentUnits",
  "filter",
  "filterUnits",
  "primitiveUnits",
  "marker-start",
  "marker-mid",
  "marker-end",
  "markerWidth",
  "markerHeight",
  "markerUnits",
  "refX",
  "refY",
  "orient",
  "gradientUnits",
  "gradientTransform",
  "spreadMethod",
  "offset",
  "stop-color",
  "stop-opacity",
  "patternUnits",
  "patternContentUnits",
  "patternTransform",
  "font-family",
  "font-size",
  "font-weight",
  "font-style",
  "font-variant",
  "font-stretch",
  "text-anchor",
  "dominant-baseline",
  "alignment-baseline",
  "baseline-shift",
  "letter-spacing",
  "word-spacing",
  "text-decoration",
  "writing-mode",
  "dx",
  "dy",
  "rotate",
  "textLength",
  "lengthAdjust",
  "startOffset",
  "method",
  "spacing",
  "stdDeviation",
  "in",
  "in2",
  "result",
  "mode",
  "operator",
  "k1",
  "k2",
  "k3",
  "k4",
  "values",
  "radius",
  "flood-color",
  "flood-opacity",
  "type",
  "media",
]);

/** The elements whose `href` may point at a local `#id` (SVG 2 §5.6.2 use, §11.8 textPath, §14.2 gradients, §14.3 pattern). */
const HREF_ELEMENTS: ReadonlySet<string> = new Set(["use", "textPath", "linearGradient", "radialGradient", "pattern"]);
/** Elements whose character data is content; elsewhere only formatting whitespace is kept. */
export const TEXT_ELEMENTS: ReadonlySet<string> = new Set(["text", "tspan", "textPath", "title", "desc", "style"]);

const LOCAL_FRAGMENT = /^#[\p{L}\p{N}_.:-]+$/u;
const LOCAL_URL = /url\(\s*(["']?)#[\p{L}\p{N}_.:-]+\1\s*\)/giu;
/**
 * Text that loads something, runs something or could hide either, in CSS or in an attribute.
 * Matched after lower-casing and removing whitespace and control characters, which URL parsers
 * and old CSS engines skip ("java\tscript:"). A backslash is refused outright: CSS escapes can
 * spell any of the others (`u\72l(`). So is `<`: it has no use in drawing or CSS, and it is what
 * would end a `<style>` early if a picture were ever pasted into an HTML page.
 */
const UNSAFE_TOKENS = [
  "javascript:",
  "vbscript:",
  "data:",
  "expression(",
  "@import",
  "behavior:",
  "-moz-binding",
  "image-set(",
  "image(",
  "src(",
  "cross-fade(",
  "\\",
  "<",
] as const;
const IGNORED_BY_PARSERS = /[\s\p{Cc}\u200b-\u200d\ufeff]+/gu;

type AttributeVerdict = { keep: string; removed?: undefined } | { keep?: undefined; removed: string | undefined };

/** Decides one attribute: the name to write it under, or why it was dropped (undefined: drop silently). */
export function judgeAttribute(element: string, attribute: SaxesAttributeNS): AttributeVerdict {
  const { uri, local, name, value } = attribute;
  const label = `attribute ${name} on ${element}`;
  // Namespace declarations are not content: the writer declares the two namespaces it uses itself.
  if (uri === XMLNS_NS) return { removed: undefined };
  // Event handlers, in any namespace and any case a renderer might be lenient about.
  if (/^on/i.test(local)) return { removed: label };
  if (local === "href" && (uri === "" || uri === XLINK_NS)) {
    if (!HREF_ELEMENTS.has(element)) return { removed: label };
    if (!LOCAL_FRAGMENT.test(value)) return { removed: `${label} (external reference)` };
    return { keep: uri === XLINK_NS ? "xlink:href" : "href" };
  }
  if (uri === XML_NS && (local === "space" || local === "lang")) return { keep: `xml:${local}` };
  if (uri !== "" || !ALLOWED_ATTRIBUTES.has(local)) return { removed: label };
  const reason = unsafeValueReason(value);
  if (reason !== undefined) return { removed: `${label} (${reason})` };
  return { keep: local };
}

/**
 * Why an attribute value or a style sheet must not be kept, or undefined when it may. Presentation
 * attributes are CSS values, so the same rules serve `fill`, `style` and `<style>`: the only
 * reference allowed is `url(#id)` to something inside the picture.
 */
export function unsafeValueReason(value: string): string | undefined {
  const folded = value.toLowerCase().replace(IGNORED_BY_PARSERS, "");
  const token = UNSAFE_TOKENS.find((candidate) => folded.includes(candidate));
  if (token !== undefined) return `unsafe value: ${token === "\\" ? "backslash escape" : token}`;
  if (/url\(/i.test(value.replace(LOCAL_URL, ""))) return "unsafe value: url() that is not a local #id";
  return undefined;
}
