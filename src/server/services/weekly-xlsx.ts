import ExcelJS from 'exceljs';
import { cellFormat, formatCell, isLink, weeklyReportTables } from '../../core/reports/weekly-tables';
import type { WeeklyReport } from '../../core/reports/weekly-report-schema';

const NUMBER_FORMATS = { rate: '0.0%', points: '+0.0%;-0.0%;0.0%', hours: '0.0', score: '0.0', count: '0', signed: '+0;-0;0' } as const;

/**
 * The weekly bulletin as an XLSX workbook: a sheet "报告信息" with the district and the period,
 * then one sheet per table of weeklyReportTables (the page's tables), header in row 1, numbers as
 * numbers (rates as fractions with a % format), so totals can be recomputed in Excel; photos as
 * hyperlinks against `baseUrl` (the URL the workbook was asked at).
 */
export async function weeklyReportXlsx(report: WeeklyReport, baseUrl = 'http://localhost/'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'dutymap';
  workbook.created = new Date(report.period.asOf);
  const info = workbook.addWorksheet('报告信息');
  info.columns = [{ width: 18 }, { width: 48 }];
  info.addRows([
    ['区', `${report.district.name}（${report.district.code}）`],
    ['统计期', `${report.period.firstDay} 至 ${report.period.lastDay}`],
    ['起（含）', report.period.from],
    ['止（不含）', report.period.to],
    ['数据截至', report.period.cutoff],
    ['上期', `${report.previous.from} — ${report.previous.to}`],
    ['生成时间', report.period.asOf],
    ['红黑榜规则', report.redBlack.rule.zh],
  ]);
  info.getColumn(1).font = { bold: true };

  for (const table of weeklyReportTables(report)) {
    const sheet = workbook.addWorksheet(table.sheet);
    const header = sheet.addRow(table.columns.map((c) => c.label.zh));
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
    table.rows.forEach((cells, r) => {
      // Photos are hyperlinks to the server (absolute: a workbook has no base URL of its own).
      const row = sheet.addRow(cells.map((c) => (isLink(c) ? { text: c.text, hyperlink: new URL(c.href, baseUrl).toString() } : c !== null && typeof c === 'object' ? c.zh : c)));
      cells.forEach((value, c) => {
        const format = cellFormat(table, r, c);
        if (typeof value === 'number' && format) row.getCell(c + 1).numFmt = NUMBER_FORMATS[format];
      });
    });
    sheet.views = [{ state: 'frozen', ySplit: 1 }];
    table.columns.forEach((c, i) => {
      const longest = Math.max(c.label.zh.length * 2, ...table.rows.map((r) => formatCell(r[i] ?? null, undefined).length * 1.6));
      sheet.getColumn(i + 1).width = Math.min(60, Math.max(8, Math.ceil(longest) + 2));
    });
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
