import { normaliseEncoding, sniffEncoding, type TextEncodingName } from './text-encoding';

/**
 * A dBASE (.dbf) reader for shapefile attributes, reading one record at a time from the file's
 * bytes (no copy of the table as objects). Character fields are decoded with the encoding the
 * .cpg names, else the language driver byte, else what the data looks like (UTF-8 or GB18030).
 */

export interface DbfField {
  name: string;
  type: string;
  length: number;
  decimals: number;
  offset: number;
}

export interface DbfTable {
  recordCount: number;
  fields: DbfField[];
  encoding: TextEncodingName;
  /** The attributes of record `i` (0-based); null for a record marked deleted. */
  record(i: number): Record<string, string | number | boolean | null> | null;
}

/** Language driver ids that mean GBK (code page 936). */
const GBK_DRIVERS = new Set([0x4d, 0x7a]);

export function readDbf(bytes: Uint8Array, cpg?: string | null): DbfTable {
  if (bytes.length < 32) throw new Error('the .dbf is too short to be a dBASE table');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const recordCount = view.getUint32(4, true);
  const headerLength = view.getUint16(8, true);
  const recordLength = view.getUint16(10, true);
  const driver = bytes[29];
  if (headerLength < 33 || headerLength > bytes.length) throw new Error('the .dbf header is damaged');

  const rawFields: { nameBytes: Uint8Array; type: string; length: number; decimals: number; offset: number }[] = [];
  let offset = 1; // byte 0 of a record is the deletion flag
  for (let p = 32; p + 32 <= headerLength && bytes[p] !== 0x0d; p += 32) {
    let end = p;
    while (end < p + 11 && bytes[end] !== 0) end++;
    const length = bytes[p + 16];
    rawFields.push({ nameBytes: bytes.subarray(p, end), type: String.fromCharCode(bytes[p + 11]), length, decimals: bytes[p + 17], offset });
    offset += length;
  }

  let encoding: TextEncodingName | null = cpg ? normaliseEncoding(cpg) : null;
  if (!encoding && GBK_DRIVERS.has(driver)) encoding = 'gb18030';
  if (!encoding) encoding = sniffEncoding(sampleText(bytes, headerLength, recordLength, recordCount, rawFields));
  const decoder = new TextDecoder(encoding);
  const fields: DbfField[] = rawFields.map((f) => ({
    name: decoder.decode(f.nameBytes).trim(),
    type: f.type,
    length: f.length,
    decimals: f.decimals,
    offset: f.offset,
  }));

  return {
    recordCount,
    fields,
    encoding,
    record(i) {
      const start = headerLength + i * recordLength;
      if (i < 0 || i >= recordCount || start + recordLength > bytes.length) throw new Error(`the .dbf has no record ${i + 1}`);
      if (bytes[start] === 0x2a) return null; // '*': deleted
      const out: Record<string, string | number | boolean | null> = {};
      for (const f of fields) {
        const raw = bytes.subarray(start + f.offset, start + f.offset + f.length);
        out[f.name] = parseValue(raw, f, decoder);
      }
      return out;
    },
  };
}

function parseValue(raw: Uint8Array, field: DbfField, decoder: TextDecoder): string | number | boolean | null {
  switch (field.type) {
    case 'N':
    case 'F': {
      const text = latin(raw).trim();
      if (text === '' || /^\*+$/.test(text)) return null;
      const value = Number(text);
      return Number.isFinite(value) ? value : null;
    }
    case 'L': {
      const c = latin(raw).trim().toUpperCase();
      return c === 'Y' || c === 'T' ? true : c === 'N' || c === 'F' ? false : null;
    }
    case 'D': {
      const text = latin(raw).trim();
      return /^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}` : null;
    }
    default: {
      let end = raw.length;
      while (end > 0 && (raw[end - 1] === 0x20 || raw[end - 1] === 0)) end--;
      return decoder.decode(raw.subarray(0, end));
    }
  }
}

function latin(raw: Uint8Array): string {
  let s = '';
  for (let i = 0; i < raw.length; i++) s += String.fromCharCode(raw[i]);
  return s;
}

/** The bytes of character fields of the first records (and the field names), to sniff the encoding. */
function sampleText(
  bytes: Uint8Array,
  headerLength: number,
  recordLength: number,
  recordCount: number,
  fields: { nameBytes: Uint8Array; type: string; length: number; offset: number }[],
): Uint8Array {
  const parts: Uint8Array[] = fields.map((f) => f.nameBytes);
  const limit = Math.min(recordCount, 2000);
  for (let i = 0; i < limit; i++) {
    const start = headerLength + i * recordLength;
    for (const f of fields) {
      if (f.type !== 'C') continue;
      // A field may be cut inside a multi-byte character by a writer; keep whole records only.
      parts.push(bytes.subarray(start + f.offset, start + f.offset + f.length));
    }
  }
  const total = parts.reduce((n, p) => n + p.length + 1, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length + 1; // a zero between fields keeps a truncated sequence from joining the next field
  }
  return out;
}
