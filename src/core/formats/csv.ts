/**
 * CSV as RFC 4180 and Excel write it: quoted fields, doubled quotes, commas and line breaks inside
 * quotes, CRLF or LF, an optional UTF-8 byte-order mark.
 */

/** One parsed record with the 1-based line on which it starts (for error messages). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Parses CSV text into records. Throws on an unterminated quote, naming the line it opened on. */
export function parseCsv(text: string): CsvRecord[] {
  const records: CsvRecord[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let fields: string[] = [];
  let field = '';
  let recordLine = 1;
  let atFieldStart = true;
  const endRecord = () => {
    fields.push(field);
    if (!(fields.length === 1 && fields[0] === '')) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    atFieldStart = true;
  };
  while (i < text.length) {
    const ch = text[i];
    if (atFieldStart && ch === '"') {
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`unterminated quoted field starting on line ${openedOn}`);
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n') line++;
        field += c;
        i++;
      }
      atFieldStart = false;
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      atFieldStart = true;
      i++;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
    } else {
      field += ch;
      atFieldStart = false;
      i++;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return records;
}

/** Quotes a field when it needs it (comma, quote, line break, leading/trailing space). */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as Excel expects) from a list of values. */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}
