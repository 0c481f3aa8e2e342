/**
 * Sanitises an uploaded SVG menu picture.
 *
 * Pictures are served from galleyd's own origin, where the admin token lives, so an SVG with a
 * script or an event handler is stored cross-site scripting. Serving them with a sandboxing CSP is
 * one wall; this is the other: the upload is parsed with a strict XML parser (saxes, which never
 * reads a DTD or expands an entity it was not born with) and a NEW document is written that holds
 * only drawing elements and presentation attributes from an allowlist. Nothing of the original is
 * copied through unparsed, so a trick the allowlist did not foresee is dropped, not passed on.
 * What may be kept (the allowlists and value checks) is svg-policy.ts; this is the walk that applies it.
 */
import { SaxesParser, type SaxesTagNS } from "saxes";
import { AppError } from "../lib/errors.ts";
import {
  judgeAttribute,
  SVG_ALLOWED_ELEMENTS,
  SVG_NS,
  TEXT_ELEMENTS,
  unsafeValueReason,
  XLINK_NS,
} from "./svg-policy.ts";

/** The upload route's body limit; checked again here so the function is safe on its own. */
export const SVG_MAX_BYTES = 2 * 1024 * 1024;
/** Hand-drawn and exported pictures nest a dozen levels at most; deep nesting is an attack on the renderer. */
export const SVG_MAX_DEPTH = 64;
/**
 * `<use>` elements kept: each copies another element, and uses of groups of uses multiply (the
 * drawing's "billion laughs"). With at most 16, no chain of them draws more than a few hundred copies.
 */
export const SVG_MAX_USES = 16;
/** `removed` is for a log line; a crafted file can produce a distinct entry per attribute name. */
const MAX_REMOVED_ENTRIES = 100;

/** The clean document and, for the log, what was taken out (deduplicated, in document order). */
export type SanitizedSvg = {
  readonly svg: string;
  readonly removed: readonly string[];
};

/**
 * Parses `input` and returns a new SVG document holding only allowlisted elements and attributes.
 * Throws an AppError when the input is not a picture we are willing to read at all: larger than
 * {@link SVG_MAX_BYTES}, not UTF-8, not well-formed XML, with a DOCTYPE (entity declarations:
 * billion laughs, XXE), a processing instruction, nesting deeper than {@link SVG_MAX_DEPTH}, or a
 * root other than `<svg>` in the SVG namespace.
 */
export function sanitizeSvg(input: Buffer | string): SanitizedSvg {
  const text = decode(input);
  const removed = new Set<string>();
  const out: string[] = [];
  /** Local names of the kept elements that are open, innermost last. */
  const open: string[] = [];
  let depth = 0;
  /** Depth of the dropped element whose subtree is being skipped; 0 when nothing is skipped. */
  let skipping = 0;
  let uses = 0;
  /** An object, not a `let`: flow analysis cannot see the parser's callbacks setting it. */
  const written = { xlinkHref: false };
  let root: { attributes: string; selfClosing: boolean } | undefined;
  /** A kept `<style>` is held back until its CSS has been read and judged. */
  let style: { startTag: string; css: string } | undefined;

  const parser = new SaxesParser({ xmlns: true, position: true, defaultXMLVersion: "1.0", forceXMLVersion: true });
  parser.on("xmldecl", (decl) => {
    // We decode as UTF-8 (fatally) and write no declaration, so any other declared encoding would
    // give the picture a different meaning than its author saw.
    if (decl.encoding !== undefined && !/^(utf-8|us-ascii)$/i.test(decl.encoding)) {
      throw refuse(`the SVG declares encoding ${decl.encoding}; save it as UTF-8`);
    }
  });
  parser.on("doctype", () => {
    throw refuse("the SVG has a DOCTYPE; DOCTYPEs and entity declarations are not accepted");
  });
  parser.on("processinginstruction", (pi) => {
    throw refuse(`the SVG has a processing instruction <?${pi.target}?>, which is not accepted`);
  });
  parser.on("opentag", (tag) => {
    depth += 1;
    if (depth > SVG_MAX_DEPTH) throw refuse(`the SVG nests elements deeper than ${SVG_MAX_DEPTH} levels`);
    if (depth === 1 && (tag.uri !== SVG_NS || tag.local !== "svg")) {
      throw refuse(`the root element is <${tag.name}> in namespace "${tag.uri}"; a picture must be <svg> in ${SVG_NS}`);
    }
    if (skipping > 0) return;
    const parent = open.at(-1);
    if (tag.uri !== SVG_NS || !SVG_ALLOWED_ELEMENTS.has(tag.local) || parent === "style") {
      removed.add(elementLabel(tag, parent));
      if (!tag.isSelfClosing) skipping = depth;
      return;
    }
    if (tag.local === "use" && ++uses > SVG_MAX_USES) {
      removed.add(`element use after the first ${SVG_MAX_USES} (copies of copies multiply the drawing work)`);
      if (!tag.isSelfClosing) skipping = depth;
      return;
    }
    let attributes = "";
    for (const attribute of Object.values(tag.attributes)) {
      const verdict = judgeAttribute(tag.local, attribute);
      if (verdict.keep === undefined) {
        if (verdict.removed !== undefined) removed.add(verdict.removed);
        continue;
      }
      if (verdict.keep === "xlink:href") written.xlinkHref = true;
      attributes += ` ${verdict.keep}="${escapeAttribute(attribute.value)}"`;
    }
    const end = tag.isSelfClosing ? "/>" : ">";
    if (depth === 1) {
      root = { attributes, selfClosing: tag.isSelfClosing };
      out.push(""); // the root's start tag, written last when we know whether xlink is needed
    } else if (tag.local === "style" && !tag.isSelfClosing) {
      style = { startTag: `<style${attributes}>`, css: "" };
    } else {
      out.push(`<${tag.local}${attributes}${end}`);
    }
    if (!tag.isSelfClosing) open.push(tag.local);
  });
  parser.on("closetag", (tag) => {
    if (skipping === depth) {
      skipping = 0;
    } else if (skipping === 0 && !tag.isSelfClosing) {
      const name = open.pop();
      if (name === "style" && style !== undefined) {
        const reason = unsafeValueReason(style.css);
        if (reason === undefined) out.push(`${style.startTag}${escapeText(style.css)}</style>`);
        else removed.add(`element style (${reason})`);
        style = undefined;
      } else if (name !== undefined) {
        out.push(`</${name}>`);
      }
    }
    depth -= 1;
  });
  const onCharacters = (data: string): void => {
    const parent = open.at(-1);
    if (skipping > 0 || parent === undefined) return;
    if (style !== undefined) style.css += data;
    else if (TEXT_ELEMENTS.has(parent) || data.trim() === "") out.push(escapeText(data));
    else removed.add(`text in ${parent}`);
  };
  parser.on("text", onCharacters);
  parser.on("cdata", onCharacters);

  try {
    parser.write(text).close();
  } catch (error) {
    if (error instanceof AppError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw refuse(`the picture is not a well-formed SVG document: ${reason}`, error);
  }
  if (root === undefined) throw refuse("the picture has no <svg> root element");

  const namespaces = ` xmlns="${SVG_NS}"${written.xlinkHref ? ` xmlns:xlink="${XLINK_NS}"` : ""}`;
  out[0] = `<svg${namespaces}${root.attributes}${root.selfClosing ? "/>" : ">"}`;
  const notes = [...removed];
  if (notes.length > MAX_REMOVED_ENTRIES) {
    notes.splice(MAX_REMOVED_ENTRIES, Infinity, `… and ${notes.length - MAX_REMOVED_ENTRIES} more`);
  }
  return { svg: `${out.join("")}\n`, removed: notes };
}

function elementLabel(tag: SaxesTagNS, parent: string | undefined): string {
  if (tag.uri === SVG_NS) return parent === "style" ? `element ${tag.local} inside style` : `element ${tag.local}`;
  return tag.uri === "" ? `element ${tag.name} (no namespace)` : `element ${tag.name} (namespace ${tag.uri})`;
}

function decode(input: Buffer | string): string {
  const size = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.length;
  if (size > SVG_MAX_BYTES) throw refuse(`the SVG is ${size} bytes; the limit is ${SVG_MAX_BYTES}`);
  if (typeof input === "string") return input.replace(/^\ufeff/u, "");
  try {
    // fatal: a byte sequence that is not UTF-8 is refused rather than turned into U+FFFD.
    return new TextDecoder("utf-8", { fatal: true }).decode(input);
  } catch (error) {
    throw refuse("the SVG is not UTF-8 text", error);
  }
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};

/** XML 1.0 §2.4 and §3.3.3: `<` and `&` always; `>` for `]]>`; `"` closes our quotes; tab, LF and CR survive only as references. */
function escapeAttribute(value: string): string {
  return value.replace(/[&<>"\t\n\r]/g, (c) => XML_ESCAPES[c] ?? c);
}

/** XML 1.0 §2.4 and §2.11: CR would be normalised away on the next parse unless written as a reference. */
function escapeText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => XML_ESCAPES[c] ?? c);
}

function refuse(message: string, cause?: unknown): AppError {
  return new AppError("picture_invalid", message, cause === undefined ? {} : { cause });
}
