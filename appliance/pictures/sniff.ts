/**
 * Checks that an uploaded raster picture starts with its format's signature, so an HTML page or an
 * SVG uploaded as `x.png` is refused instead of stored and later served under an image type.
 * A signature check is not a decoder: polyglot files still pass, which is why pictures are also
 * served with a sandboxing CSP (and should be with `X-Content-Type-Options: nosniff`).
 */
import { AppError } from "../lib/errors.ts";

/** The raster formats the menu accepts, named by file extension. */
export type RasterKind = "png" | "jpg" | "webp";

/** PNG signature 89 50 4E 47 0D 0A 1A 0A ("\x89PNG\r\n\x1a\n"; PNG spec, ISO/IEC 15948 §5.2). */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** JPEG SOI marker FF D8 and the FF that starts the next marker (ITU-T T.81 Annex B.2.1). */
const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
/** RIFF container tag 52 49 46 46 ("RIFF"; RFC 9649, WebP file header). */
const RIFF_TAG = Buffer.from("RIFF", "latin1");
/** WebP form type 57 45 42 50 ("WEBP") at offset 8, after the little-endian RIFF size (RFC 9649). */
const WEBP_TAG = Buffer.from("WEBP", "latin1");
const WEBP_TAG_OFFSET = 8;

const FORMAT_NAMES: Readonly<Record<RasterKind, string>> = { png: "PNG", jpg: "JPEG", webp: "WebP" };

/** Narrows a file extension to a raster kind (`svg` and everything else are not). */
export function isRasterKind(extension: string): extension is RasterKind {
  return Object.hasOwn(FORMAT_NAMES, extension);
}

/** Throws an AppError unless `bytes` start with the signature of `kind`. */
export function checkRasterPicture(kind: RasterKind, bytes: Buffer): void {
  if (!hasSignature(kind, bytes)) {
    throw new AppError(
      "picture_invalid",
      `the picture is not a ${FORMAT_NAMES[kind]} file (its first bytes do not match the format)`,
      {
        details: { expected: kind },
      },
    );
  }
}

function hasSignature(kind: RasterKind, bytes: Buffer): boolean {
  switch (kind) {
    case "png":
      return startsWith(bytes, PNG_SIGNATURE, 0);
    case "jpg":
      return startsWith(bytes, JPEG_SIGNATURE, 0);
    case "webp":
      return startsWith(bytes, RIFF_TAG, 0) && startsWith(bytes, WEBP_TAG, WEBP_TAG_OFFSET);
  }
}

function startsWith(bytes: Buffer, signature: Buffer, offset: number): boolean {
  return (
    bytes.length >= offset + signature.length && bytes.subarray(offset, offset + signature.length).equals(signature)
  );
}
