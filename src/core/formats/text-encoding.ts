/**
 * Text encodings of imported files. Chinese GIS data comes in UTF-8 or in GBK / GB18030 (what
 * ArcGIS and Excel on a Chinese Windows write); TextDecoder reads both (WHATWG "gb18030" is a
 * superset of GBK and GB2312).
 */

export type TextEncodingName = 'utf-8' | 'gb18030';

/**
 * Maps what a .cpg file or a user says ("UTF-8", "GBK", "936", "CP936", "GB2312", "65001") to a
 * TextDecoder label; null when it is not one of those.
 */
export function normaliseEncoding(label: string): TextEncodingName | null {
  const t = label.trim().toLowerCase().replace(/[-_\s]/g, '');
  if (t === 'utf8' || t === '65001') return 'utf-8';
  if (['gbk', 'gb2312', 'gb18030', '936', 'cp936', 'ansi936', 'windows936', 'euccn', '54936'].includes(t)) return 'gb18030';
  return null;
}

/** True when the bytes are valid UTF-8 (plain ASCII is). */
export function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** UTF-8 when the sample decodes as UTF-8, else GB18030: non-UTF-8 Chinese text is almost always GBK. */
export function sniffEncoding(sample: Uint8Array): TextEncodingName {
  return isUtf8(sample) ? 'utf-8' : 'gb18030';
}

/** Decodes a whole file's bytes, sniffing the encoding unless given; drops a UTF-8 byte-order mark. */
export function decodeText(bytes: Uint8Array, encoding?: TextEncodingName): { text: string; encoding: TextEncodingName } {
  const chosen = encoding ?? sniffEncoding(bytes.subarray(0, 1 << 20));
  return { text: new TextDecoder(chosen).decode(bytes), encoding: chosen };
}
