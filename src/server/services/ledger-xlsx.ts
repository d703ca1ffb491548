import ExcelJS from 'exceljs';
import { LEDGER_COLUMNS } from '../../core/export/ledger';

/** The ledger as an .xlsx workbook: one sheet 问题台账, a frozen bold header row, filters on. */
export async function ledgerXlsx(rows: readonly (readonly (string | number | null)[])[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'dutymap';
  const sheet = workbook.addWorksheet('问题台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow([...LEDGER_COLUMNS]);
  sheet.getRow(1).font = { bold: true };
  for (const row of rows) sheet.addRow([...row]);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: LEDGER_COLUMNS.length } };
  LEDGER_COLUMNS.forEach((title, i) => {
    sheet.getColumn(i + 1).width = title === '描述' ? 40 : Math.max(10, title.length * 2 + 4);
  });
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}
