import { ROAD_CLASS_LABELS, type RoadClass } from '../district/catalog';
import type { RankedGroup, WeeklyReport } from './weekly-report-schema';
import { photoPath } from '../issues/photo-schema';

/**
 * The tables of the weekly bulletin, as plain data built from the report JSON: the printable page
 * renders them and the XLSX writes one sheet per table, so the two can never disagree.
 * Cells are numbers (rates as fractions, formatted by the reader) or text.
 */

export interface Label {
  zh: string;
  en: string;
}
/** A link (a photo): the page shows `thumb` as a picture when given, the XLSX a hyperlink to `href`. */
export interface LinkCell {
  href: string;
  text: string;
  thumb?: string;
}
/** A number, a text, a label in both languages (the XLSX takes the Chinese) or a link. */
export type Cell = string | number | null | Label | LinkCell;

/** True for a link cell (the other objects are labels). */
export const isLink = (value: Cell): value is LinkCell => value !== null && typeof value === 'object' && 'href' in value;
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
    ...fieldTables(report),
  ];
}

const photoLink = (p: { photoId: string; thumbId: string } | null, text: string): Cell =>
  p ? { href: photoPath(p.photoId), text, thumb: photoPath(p.thumbId) } : null;

/** The field loop's tables: patrol coverage per unit and road chief, stale checkpoints, before/after photos. */
function fieldTables(report: WeeklyReport): ReportTable[] {
  const tables: ReportTable[] = [];
  const patrol = report.patrol;
  if (patrol) {
    tables.push(
      {
        id: 'patrol-units',
        sheet: '巡查覆盖-单位',
        title: { zh: '点位巡查覆盖（按责任单位，每天每个点位）', en: 'Checkpoint patrol coverage by unit (every checkpoint every day)' },
        columns: [col('责任单位', 'Unit'), col('点位数', 'Checkpoints', 'count'), col('天数', 'Days', 'count'), col('已巡查点位·天', 'Checkpoint-days visited', 'count'), col('覆盖率', 'Coverage', 'rate')],
        rows: patrol.units.map((u) => [u.unitName, u.checkpoints, u.days, u.visitedDays, u.share]),
        empty: { zh: '没有点位', en: 'No checkpoints' },
      },
      {
        id: 'patrol-chiefs',
        sheet: '巡查覆盖-路长',
        title: { zh: '路长制道路巡查（按路长）', en: 'Road patrols by road chief' },
        columns: [col('路长', 'Road chief'), col('道路数', 'Roads', 'count'), col('已巡查道路', 'Roads walked', 'count'), col('有效巡查次数', 'Counted walks', 'count')],
        rows: patrol.roadChiefs.map((c) => [c.chief, c.roads, c.walked, c.walks]),
        empty: { zh: '没有路长制道路', en: 'No roads under road chiefs' },
      },
      {
        id: 'stale-checkpoints',
        sheet: '连续3天未巡查',
        title: { zh: '连续 3 天及以上未巡查的点位', en: 'Checkpoints not visited for 3 days or more' },
        columns: [nowrap('编号', 'Code'), col('点位', 'Checkpoint'), col('责任单位', 'Unit'), nowrap('最近巡查', 'Last visit'), col('未巡查天数', 'Days without a visit', 'count')],
        rows: patrol.stale.map((s) => [s.code, s.name, s.unitName, s.lastVisit ? s.lastVisit.slice(0, 10) : { zh: '从未', en: 'never' }, s.daysSince]),
        empty: { zh: '每个点位 3 天内都有巡查', en: 'Every checkpoint was visited within 3 days' },
      },
    );
  }
  if (report.evidence) {
    tables.push({
      id: 'evidence',
      sheet: '整改前后照片',
      title: { zh: '本期销号问题的整改前后照片', en: 'Before and after photos of the issues closed in the period' },
      columns: [nowrap('编号', 'Code'), col('类别', 'Category'), nowrap('销号时间', 'Closed'), col('整改前', 'Before'), col('整改后', 'After')],
      rows: report.evidence.map((e) => [e.code, e.categoryName, e.closedAt.slice(0, 10), photoLink(e.before, '整改前照片'), photoLink(e.after, '整改后照片')]),
      empty: { zh: '本期销号的问题没有照片', en: 'No photos on the issues closed in the period' },
    });
  }
  return tables;
}

/** The format of one cell: its own, else its column's. */
export function cellFormat(table: ReportTable, row: number, column: number): ReportColumn['format'] | undefined {
  return table.formats?.[row]?.[column] ?? table.columns[column]?.format;
}

/** A cell as text, the way the page and a reader of the sheet see it. */
export function formatCell(value: Cell, format: ReportColumn['format'] | undefined, lang: 'zh-CN' | 'en' = 'zh-CN'): string {
  if (value === null) return '—';
  if (typeof value === 'string') return value;
  if (isLink(value)) return value.text;
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
