/**
 * Reading the audit log: the API's query as a repository filter, and the CSV export (through the
 * project's one CSV writer, core/formats/csv.ts), streamed page by page so that a long log never
 * sits in memory whole.
 */
import { CSV_BOM, csvLine } from '../../core/formats/csv';
import type { AuditQuery } from '../../core/api/user-schema';
import type { AuditFilter, AuditRecord, DutymapRepository } from '../storage/repository';

/** The repository filter of a validated audit query (times are ISO strings; absent fields do not filter). */
export function auditFilterOf(query: Omit<AuditQuery, 'limit' | 'cursor'>): AuditFilter {
  const filter: AuditFilter = {};
  if (query.actor) filter.actor = query.actor;
  if (query.action) filter.action = query.action;
  if (query.outcome) filter.outcome = query.outcome;
  if (query.target) filter.target = query.target;
  if (query.from) filter.fromMs = Date.parse(query.from);
  if (query.to) filter.toMs = Date.parse(query.to);
  return filter;
}

/** The CSV's columns: Chinese header, then what each row holds. */
const COLUMNS: readonly [string, (r: AuditRecord) => unknown][] = [
  ['序号', (r) => r.seq],
  ['时间', (r) => r.at],
  ['用户', (r) => r.actor],
  ['角色', (r) => r.actorRole],
  ['地址', (r) => r.address],
  ['操作', (r) => r.action],
  ['结果', (r) => r.outcome],
  ['状态码', (r) => r.status],
  ['对象', (r) => r.targets.join(' ')],
  ['摘要', (r) => r.summary],
  ['请求', (r) => `${r.method} ${r.path}`],
  ['详情', (r) => (r.details ? JSON.stringify(r.details) : null)],
];

/** Records read per page while streaming the CSV. */
const PAGE = 1000;

/**
 * The audit log matching `filter` as CSV (UTF-8 with BOM, CRLF, newest first), as a stream that
 * reads the next page only when the previous one was sent.
 */
export function auditCsvStream(repo: DutymapRepository, filter: AuditFilter): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let before: number | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let text = '';
      if (!started) {
        started = true;
        text += CSV_BOM + csvLine(COLUMNS.map(([name]) => name));
      }
      const page = await repo.listAudit(filter, { limit: PAGE, beforeSeq: before });
      for (const record of page.items) text += csvLine(COLUMNS.map(([, value]) => value(record)));
      if (text) controller.enqueue(encoder.encode(text));
      if (page.next === null) controller.close();
      else before = page.next;
    },
  });
}
