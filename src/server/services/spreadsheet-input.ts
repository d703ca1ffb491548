import ExcelJS from 'exceljs';
import type { InputFile } from '../../core/import/import-source';

/**
 * Spreadsheets among the files of an import, read into rows (exceljs reads asynchronously, the
 * import pipeline is synchronous, so this runs first, in the CLI and in the server's import
 * worker). The first worksheet with data is read; each cell becomes its text as Excel shows it
 * (numbers as numbers, dates as YYYY-MM-DD, formulas by their result). Other files pass through.
 */
export async function expandSpreadsheets(files: readonly InputFile[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const file of files) {
    if (!/\.xlsx$/i.test(file.name)) {
      out.push(file);
      continue;
    }
    try {
      out.push({ name: file.name, bytes: file.bytes, rows: await readFirstSheet(file.bytes) });
    } catch (error) {
      out.push({ name: file.name, bytes: file.bytes, rows: null, unreadable: `not a readable Excel workbook: ${(error as Error).message}` });
    }
  }
  return out;
}

async function readFirstSheet(bytes: Uint8Array): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  const sheet = workbook.worksheets.find((s) => s.rowCount > 0);
  if (!sheet) return [];
  const rows: string[][] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    rows.push(cells);
  });
  return rows;
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((t) => t.text).join('');
    if ('text' in value) return String(value.text);
    return '';
  }
  return String(value).trim();
}
