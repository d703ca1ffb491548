/**
 * CSV as RFC 4180 and Excel write it: quoted fields, doubled quotes, commas and line breaks inside
 * quotes, CRLF or LF, an optional UTF-8 byte-order mark. One reader (parseCsv) and one writer
 * (csvField, csvLine, csvText) for every CSV dutymap reads or writes; the writer never lets a
 * cell run as a spreadsheet formula.
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

/**
 * The first characters that make a spreadsheet read a cell as a formula (OWASP "CSV Injection"):
 * = + - @, and TAB and CR, which some programs strip before looking for one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV field. Text that a spreadsheet would run as a formula (starting with = + - @, TAB or
 * CR) gets a leading apostrophe, which Excel, LibreOffice and WPS show as text; numbers are
 * written as they are (a negative longitude stays a number). null and undefined are empty. The
 * field is quoted, quotes doubled, when it holds a comma, quote or line break or starts or ends
 * with white space.
 */
export function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line (CRLF-terminated, as Excel expects) from a list of values (see csvField). */
export function csvLine(values: readonly unknown[]): string {
  return values.map(csvField).join(',') + '\r\n';
}

/** The byte-order mark that tells Excel a CSV is UTF-8 (without it Chinese opens as mojibake). */
export const CSV_BOM = '\ufeff';

/** A whole CSV as Excel opens it: the BOM, the header line, then one line per row, CRLF throughout. */
export function csvText(header: readonly unknown[], rows: Iterable<readonly unknown[]>): string {
  let text = CSV_BOM + csvLine(header);
  for (const row of rows) text += csvLine(row);
  return text;
}
