import { ROAD_CLASS_LABELS, type RoadClass } from '../district/catalog';
import type { RankedGroup, WeeklyReport } from './weekly-report-schema';

/**
 * The tables of the weekly bulletin, as plain data built from the report JSON: the printable page
 * renders them and the XLSX writes one sheet per table, so the two can never disagree.
 * Cells are numbers (rates as fractions, formatted by the reader) or text.
 */

export interface Label {
  zh: string;
  en: string;
}
/** A number, a text, or a label in both languages (the XLSX takes the Chinese). */
export type Cell = string | number | null | Label;
export interface ReportColumn {
  label: Label;
  /** How a number is shown: a count, a rate (0…1 as %), hours, a change in percentage points. */
  format?: 'count' | 'rate' | 'hours' | 'points' | 'signed' | 'score';
  /** Short codes and dates that read badly when wrapped. */
  nowrap?: boolean;
}
export interface ReportTable {
  id: string;
  /** Sheet name in the XLSX (≤ 31 characters, no []:*?/\). */
  sheet: string;
  title: Label;
  columns: ReportColumn[];
  rows: Cell[][];
  /** Per-cell formats overriding the column's (the overview mixes counts, rates and hours). */
  formats?: (ReportColumn['format'] | undefined)[][];
  /** Shown instead of an empty table. */
  empty: Label;
  /** A line under the title (the 红黑榜's rule). */
  note?: Label;
  /** A column whose repeats (the same text as the row above) the page leaves blank: rows grouped by it. */
  groupColumn?: number;
}

const col = (zh: string, en: string, format?: ReportColumn['format']): ReportColumn => ({ label: { zh, en }, format });
const nowrap = (zh: string, en: string): ReportColumn => ({ label: { zh, en }, nowrap: true });

const RANK_COLUMNS = [
  col('名次', 'Rank', 'count'),
  col('名称', 'Name'),
  col('得分', 'Score', 'score'),
  col('上报', 'Reported', 'count'),
  col('已销号', 'Closed', 'count'),
  col('整改率', 'Rectification rate', 'rate'),
  col('超期', 'Overdue', 'count'),
  col('平均销号用时（小时）', 'Avg. hours to close', 'hours'),
];
const rankRows = (groups: readonly RankedGroup[]): Cell[][] =>
  groups.map((g, i) => [i + 1, g.name, g.score, g.reported, g.closed, g.rectificationRate, g.overdue, g.avgCloseHours]);

/** Every table of the bulletin, in the order the page prints them. */
export function weeklyReportTables(report: WeeklyReport): ReportTable[] {
  const t = report.totals;
  const p = report.previousTotals;
  const none = { zh: '无', en: 'None' };
  return [
    {
      id: 'totals',
      sheet: '总体情况',
      title: { zh: '总体情况', en: 'Overview' },
      columns: [col('指标', 'Figure'), col('本期', 'This period'), col('上期', 'Previous period'), col('变化', 'Change')],
      rows: [
        [{ zh: '新增问题', en: 'New issues' }, t.reported, p.reported, report.change.reported],
        [{ zh: '其中已销号', en: 'Of which closed' }, t.closed, p.closed, t.closed - p.closed],
        [{ zh: '整改率', en: 'Rectification rate' }, t.rectificationRate, p.rectificationRate, report.change.rectificationRate],
        [{ zh: '期末超期', en: 'Overdue at end' }, t.overdue, p.overdue, report.change.overdue],
        [{ zh: '期内销号', en: 'Closed in period' }, t.closedInPeriod, p.closedInPeriod, report.change.closedInPeriod],
        [{ zh: '平均销号用时（小时）', en: 'Avg. hours to close' }, t.avgCloseHours, p.avgCloseHours, t.avgCloseHours === null || p.avgCloseHours === null ? null : Math.round((t.avgCloseHours - p.avgCloseHours) * 10) / 10],
        [{ zh: '期末未销号', en: 'Open at end' }, t.openAtEnd, p.openAtEnd, t.openAtEnd - p.openAtEnd],
      ],
      formats: [
        [undefined, 'count', 'count', 'signed'],
        [undefined, 'count', 'count', 'signed'],
        [undefined, 'rate', 'rate', 'points'],
        [undefined, 'count', 'count', 'signed'],
        [undefined, 'count', 'count', 'signed'],
        [undefined, 'hours', 'hours', 'signed'],
        [undefined, 'count', 'count', 'signed'],
      ],
      empty: none,
    },
    { id: 'red-units', sheet: '红榜-单位', title: { zh: '红榜 · 责任单位', en: 'Red list · units' }, columns: RANK_COLUMNS, rows: rankRows(report.redBlack.units.best), empty: none, note: report.redBlack.rule },
    { id: 'black-units', sheet: '黑榜-单位', title: { zh: '黑榜 · 责任单位', en: 'Black list · units' }, columns: RANK_COLUMNS, rows: rankRows(report.redBlack.units.worst), empty: none },
    { id: 'red-streets', sheet: '红榜-街道', title: { zh: '红榜 · 街道', en: 'Red list · streets' }, columns: RANK_COLUMNS, rows: rankRows(report.redBlack.streets.best), empty: none, note: report.redBlack.rule },
    { id: 'black-streets', sheet: '黑榜-街道', title: { zh: '黑榜 · 街道', en: 'Black list · streets' }, columns: RANK_COLUMNS, rows: rankRows(report.redBlack.streets.worst), empty: none },
    {
      id: 'overdue',
      sheet: '超期问题',
      title: { zh: '超期问题（按责任单位）', en: 'Overdue issues by unit' },
      columns: [col('责任单位', 'Unit'), nowrap('编号', 'Code'), col('类别', 'Category'), col('位置', 'Place'), nowrap('整改期限', 'Deadline'), col('超期天数', 'Days overdue', 'count')],
      rows: report.overdueByUnit.flatMap((u) =>
        u.issues.map((i) => [`${u.unitName}（${u.count}）`, i.code, i.categoryName, i.place, i.deadline.slice(0, 10), i.daysOverdue]),
      ),
      empty: { zh: '期末没有超期问题', en: 'No overdue issues at the end of the period' },
      groupColumn: 0,
    },
    {
      id: 'checkpoints',
      sheet: '点位',
      title: { zh: '实地考察点位（按类别）', en: 'Evaluation checkpoints by category' },
      columns: [
        col('类别', 'Category'),
        col('点位数', 'Checkpoints', 'count'),
        col('无问题', 'Clear', 'count'),
        col('有未销号问题', 'With open issues', 'count'),
        col('有超期问题', 'With overdue issues', 'count'),
        col('未销号问题', 'Open issues', 'count'),
        col('本期新增', 'Reported in period', 'count'),
      ],
      rows: report.checkpointsByCategory.map((c) => [c.categoryName, c.checkpoints, c.clear, c.withOpen, c.withOverdue, c.openIssues, c.reportedInPeriod]),
      empty: none,
    },
    {
      id: 'hotspots',
      sheet: '问题集中网格',
      title: { zh: '问题集中的网格', en: 'Grids where issues concentrated' },
      columns: [col('网格', 'Grid'), col('社区', 'Community'), col('街道', 'Street'), col('本期新增', 'Reported', 'count'), col('期末未销号', 'Open at end', 'count'), col('超期', 'Overdue', 'count')],
      rows: report.hotspots.map((h) => [h.name, h.community, h.street, h.reported, h.openAtEnd, h.overdue]),
      empty: { zh: '本期没有新增问题', en: 'No issues reported in the period' },
    },
    {
      id: 'roads',
      sheet: '路长制道路',
      title: { zh: '未销号问题最多的路长制道路', en: 'Road-chief roads with the most open issues' },
      columns: [col('道路', 'Road'), col('等级', 'Class'), col('路长', 'Road chief'), col('责任单位', 'Unit'), col('期末未销号', 'Open at end', 'count'), col('超期', 'Overdue', 'count'), col('本期新增', 'Reported', 'count')],
      rows: report.roads.map((r) => [r.name, ROAD_CLASS_LABELS[r.roadClass as RoadClass]?.zh ?? r.roadClass, r.chief, r.unitName, r.openAtEnd, r.overdue, r.reported]),
      empty: { zh: '道路上没有未销号问题', en: 'No open issues on roads' },
    },
  ];
}

/** The format of one cell: its own, else its column's. */
export function cellFormat(table: ReportTable, row: number, column: number): ReportColumn['format'] | undefined {
  return table.formats?.[row]?.[column] ?? table.columns[column]?.format;
}

/** A cell as text, the way the page and a reader of the sheet see it. */
export function formatCell(value: Cell, format: ReportColumn['format'] | undefined, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return lang === 'en' ? value.en : value.zh;
  switch (format) {
    case 'rate':
      return `${(value * 100).toFixed(1)}%`;
    case 'points':
      return `${value > 0 ? '+' : ''}${(value * 100).toFixed(1)}${lang === 'en' ? ' pts' : ' 个百分点'}`;
    case 'hours':
    case 'score':
      return value.toFixed(1);
    case 'signed':
      return `${value > 0 ? '+' : ''}${Math.round(value * 10) / 10}`;
    default:
      return String(value);
  }
}
