/**
 * What kind of picture a byte array is, by its first bytes (magic numbers) and header, never by
 * the file name or the Content-Type a client claims: JPEG, PNG or WebP, the formats a phone's
 * camera and a browser's canvas produce. Also reads the pixel size from the header and whether
 * the file ends where its format says it ends, so a truncated upload is told apart from a whole one.
 */

/** The picture formats the photo store accepts. */
export const IMAGE_TYPES = ['jpeg', 'png', 'webp'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

/** The MIME type each format is served with. */
export const IMAGE_MIME: Record<ImageType, string> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

/** A picture as its header describes it. */
export interface SniffedImage {
  type: ImageType;
  /** Pixels; 0 when the header does not say (a JPEG whose frame header is missing). */
  width: number;
  height: number;
  /**
   * The bytes end where the format says the file ends: a JPEG's end-of-image marker, a PNG's IEND
   * chunk, a WebP's RIFF length. False for an upload cut short.
   */
  complete: boolean;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PNG_IEND = [0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82];

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) => prefix.every((b, i) => bytes[at + i] === b);
const ascii = (bytes: Uint8Array, at: number, text: string) => [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) => ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16)) + ((b[at + 3]! << 24) >>> 0);

/**
 * The format, size and completeness of `bytes`, or null when they are not a JPEG, PNG or WebP
 * (by their magic bytes). Reads headers only: linear in the JPEG's segment count, never decodes.
 *
 * @example sniffImage(pngBytes) // { type: 'png', width: 1, height: 1, complete: true }
 */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return sniffJpeg(bytes);
  if (bytes.length >= 8 && startsWith(bytes, PNG_SIGNATURE)) {
    const hasHeader = bytes.length >= 24 && ascii(bytes, 12, 'IHDR');
    return {
      type: 'png',
      width: hasHeader ? u32be(bytes, 16) : 0,
      height: hasHeader ? u32be(bytes, 20) : 0,
      complete: bytes.length >= 8 + PNG_IEND.length && startsWith(bytes, PNG_IEND, bytes.length - PNG_IEND.length),
    };
  }
  if (bytes.length >= 12 && ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return sniffWebp(bytes);
  return null;
}

function sniffJpeg(bytes: Uint8Array): SniffedImage {
  let width = 0;
  let height = 0;
  // Walk the marker segments up to the start of scan; a start-of-frame segment holds the size.
  let at = 2;
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = u16be(bytes, at + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame && at + 9 <= bytes.length) {
      height = u16be(bytes, at + 5);
      width = u16be(bytes, at + 7);
    }
    if (marker === 0xda) break; // start of scan: entropy-coded data follows
    at += 2 + length;
  }
  // A whole JPEG ends with FF D9 (some writers pad a few bytes after it).
  let end = bytes.length;
  while (end > 2 && bytes[end - 1] === 0x00 && bytes.length - end < 16) end--;
  const complete = end >= 4 && bytes[end - 2] === 0xff && bytes[end - 1] === 0xd9;
  return { type: 'jpeg', width, height, complete };
}

function sniffWebp(bytes: Uint8Array): SniffedImage {
  const complete = u32le(bytes, 4) + 8 === bytes.length;
  let width = 0;
  let height = 0;
  if (bytes.length >= 30) {
    if (ascii(bytes, 12, 'VP8 ')) {
      width = u16le(bytes, 26) & 0x3fff;
      height = u16le(bytes, 28) & 0x3fff;
    } else if (ascii(bytes, 12, 'VP8L') && bytes[20] === 0x2f) {
      const bits = u32le(bytes, 21);
      width = (bits & 0x3fff) + 1;
      height = ((bits >>> 14) & 0x3fff) + 1;
    } else if (ascii(bytes, 12, 'VP8X')) {
      width = u24le(bytes, 24) + 1;
      height = u24le(bytes, 27) + 1;
    }
  }
  return { type: 'webp', width, height, complete };
}
