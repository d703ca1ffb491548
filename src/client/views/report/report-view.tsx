import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import { addDays } from '../../../core/reports/weekly-report';
import { formatCell, weeklyReportTables } from '../../../core/reports/weekly-tables';
import type { WeeklyReport } from '../../../core/reports/weekly-report-schema';
import { weeklyReportQueryOptions, weeklyReportXlsxUrl, type ReportRange } from '../../api/weekly-report';
import type { ClientConfig } from '../../config';
import { formatDate, formatDateTime, timeZoneLabel } from '../../i18n/format-date';
import { useI18n } from '../../i18n/i18n';
import { useSessionUser } from '../shared/session';
import { ReportMap } from './report-map';
import { ReportTableView } from './report-table';
import './report.css';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** A real calendar day 'YYYY-MM-DD' (not 2026-13-01 or 2026-02-30). */
const isDay = (s: string) => DAY.test(s) && new Date(Date.parse(s + 'T00:00:00Z') || 0).toISOString().slice(0, 10) === s;

/**
 * The period in the URL: ?from=YYYY-MM-DD&to=YYYY-MM-DD with `to` inclusive as people say it (the
 * API's `to` is exclusive). Malformed values go to the server as they are, so that its 400 says why.
 */
function rangeFromSearch(search: string): ReportRange {
  const params = new URLSearchParams(search);
  const from = params.get('from') || undefined;
  const to = params.get('to') || undefined;
  return { from, to: to && isDay(to) ? addDays(to, 1) : to };
}

/**
 * /report — the weekly bulletin (周报/通报) of any period, default last week: KPIs with the change
 * from the period before, a map of where issues were reported, and the tables of
 * weeklyReportTables (the same ones the XLSX download holds). Prints to A4.
 */
export function ReportView(_props: { config: ClientConfig }) {
  const { t } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const user = useSessionUser();
  const api = rangeFromSearch(search);
  const report = useQuery(weeklyReportQueryOptions(api));
  const data = report.data;
  const go = (from: string, toInclusive: string) => navigate(`/report?from=${from}&to=${toInclusive}`, { replace: true });
  const shift = (days: number) => data && go(addDays(data.period.firstDay, days), addDays(data.period.lastDay, days));

  return (
    <div className="report-page">
      <div className="report-controls">
        <label>
          {t('bulletin.from')}
          <input type="date" value={data?.period.firstDay ?? ''} onChange={(e) => data && e.target.value && go(e.target.value, data.period.lastDay)} />
        </label>
        <label>
          {t('bulletin.to')}
          <input type="date" value={data?.period.lastDay ?? ''} onChange={(e) => data && e.target.value && go(data.period.firstDay, e.target.value)} />
        </label>
        <button type="button" onClick={() => shift(-7)} disabled={!data}>
          {t('bulletin.previousWeek')}
        </button>
        <button type="button" onClick={() => shift(7)} disabled={!data}>
          {t('bulletin.nextWeek')}
        </button>
        <button type="button" onClick={() => navigate('/report', { replace: true })}>
          {t('bulletin.lastWeek')}
        </button>
        <span className="report-controls-end">
          <a className="button" href={weeklyReportXlsxUrl(api)} download>
            {t('bulletin.xlsx')}
          </a>
          <button type="button" className="primary" onClick={() => window.print()} disabled={!data}>
            {t('bulletin.print')}
          </button>
          {user?.role === 'admin' && <Link href="/api-keys">{t('apiKeys.link')}</Link>}
        </span>
      </div>
      {report.isError && !data ? (
        <div className="report-message" role="alert">
          <p>{t('bulletin.error', { message: report.error.message })}</p>
          <button type="button" onClick={() => navigate('/report', { replace: true })}>
            {t('bulletin.lastWeek')}
          </button>
          <button type="button" onClick={() => report.refetch()}>
            {t('bulletin.retry')}
          </button>
        </div>
      ) : !data ? (
        <p className="report-message">{t('bulletin.loading')}</p>
      ) : (
        <>
          {report.isError && (
            <p className="warning" role="alert">
              {t('bulletin.error', { message: report.error.message })}
            </p>
          )}
          <ReportDocument report={data} />
        </>
      )}
    </div>
  );
}

/** The printable bulletin itself. */
function ReportDocument({ report }: { report: WeeklyReport }) {
  const { t, lang } = useI18n();
  const tables = useMemo(() => weeklyReportTables(report), [report]);
  const [overview, ...rest] = tables;
  const tz = report.district.timeZone;
  const time = (iso: string) => formatDateTime(iso, tz);
  const day = (ms: number) => formatDate(ms, tz);
  const totals = report.totals;
  const kpis: { label: string; value: string; change: string | null }[] = [
    { label: t('bulletin.kpi.reported'), value: String(totals.reported), change: formatCell(report.change.reported, 'signed', lang) },
    { label: t('bulletin.kpi.rate'), value: formatCell(totals.rectificationRate, 'rate', lang), change: report.change.rectificationRate === null ? null : formatCell(report.change.rectificationRate, 'points', lang) },
    { label: t('bulletin.kpi.overdue'), value: String(totals.overdue), change: formatCell(report.change.overdue, 'signed', lang) },
    { label: t('bulletin.kpi.closed'), value: String(totals.closedInPeriod), change: formatCell(report.change.closedInPeriod, 'signed', lang) },
    {
      label: t('bulletin.kpi.hours'),
      value: totals.avgCloseHours === null ? '—' : t('bulletin.kpi.hoursUnit', { hours: totals.avgCloseHours.toFixed(1) }),
      change: null,
    },
  ];
  return (
    <article className="report-doc" lang={lang}>
      <header className="report-head">
        <h1>{t('bulletin.title', { district: report.district.name })}</h1>
        <p>{t('bulletin.subtitle', { first: report.period.firstDay, last: report.period.lastDay, tz: timeZoneLabel(tz, lang) })}</p>
        <p className="report-muted">
          {t('bulletin.asOf', {
            cutoff: time(report.period.cutoff),
            prevFirst: day(Date.parse(report.previous.from)),
            prevLast: day(Date.parse(report.previous.to) - 1),
          })}
        </p>
      </header>
      <section className="report-section report-kpis" aria-label={overview.title.zh}>
        {kpis.map((k) => (
          <div key={k.label} className="report-kpi">
            <span className="report-kpi-label">{k.label}</span>
            <strong>{k.value}</strong>
            {k.change !== null && <span className="report-muted">{t('bulletin.kpi.change', { change: k.change })}</span>}
          </div>
        ))}
      </section>
      <ReportTableView table={overview} />
      <section className="report-section" data-map="">
        <h2>{t('bulletin.map.title')}</h2>
        <ReportMap reportedByGrid={report.reportedByGrid} />
      </section>
      {rest.map((table) => (
        <ReportTableView key={table.id} table={table} />
      ))}
      <footer className="report-muted report-footer">{t('bulletin.footer')}</footer>
    </article>
  );
}
