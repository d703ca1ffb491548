import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { ImportReport } from '../../../core/import/import-report';
import { districtQueryOptions } from '../../api/district';
import { ApiRequestError } from '../../api/http';
import { EXPORT_LINKS, commitImport, dryRun, importOptionsQuery, uploadFiles, uploadStatus, type CommitResponse, type ImportChoices } from '../../api/import';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { useSessionUser } from '../shared/session';
import { ProblemMap } from './problem-map';
import './import.css';

const SHOWN_PROBLEMS = 200;

function formatBytes(n: number): string {
  if (n >= 1048576) return `${(n / 1048576).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KB`;
  return `${n} B`;
}

/** /import: the admin's import (upload → report → repairs and mapping → commit) and everyone's export downloads. */
export function ImportView() {
  const { t } = useI18n();
  const user = useSessionUser();
  return (
    <div className="import-view">
      <section className="import-panel">
        <h1>{t('import.title')}</h1>
        <p className="hint">{t('import.intro')}</p>
        {user === undefined ? null : user?.role === 'admin' ? <ImportFlow /> : <p className="import-notice">{t('import.adminOnly')}</p>}
      </section>
      <ExportPanel />
    </div>
  );
}

type Step = { kind: 'choose' } | { kind: 'uploading'; sent: number; total: number } | { kind: 'checking'; id: string } | { kind: 'report'; id: string } | { kind: 'committing'; id: string } | { kind: 'done'; result: CommitResponse };

function ImportFlow() {
  const { t } = useI18n();
  const client = useQueryClient();
  const options = useQuery(importOptionsQuery());
  // No district on the server yet (DUTYMAP_DISTRICT=none): this import creates it.
  const district = useQuery(districtQueryOptions());
  const isNew = district.error instanceof ApiRequestError && district.error.code === 'no_district';
  const [newDistrict, setNewDistrict] = useState({ name: '', code: '' });
  const newDistrictValid = newDistrict.name.trim() !== '' && /^\d{6}$/.test(newDistrict.code.trim());
  const [files, setFiles] = useState<File[]>([]);
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [report, setReport] = useState<ImportReport | null>(null);
  const [choices, setChoices] = useState<ImportChoices>({ settings: {}, repairs: [] });
  const [stage, setStage] = useState<{ stage: string; done: number }>({ stage: 'reading', done: 0 });
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const input = useRef<HTMLInputElement>(null);

  // While the server checks, poll its stage (the worker thread keeps the server responsive).
  useEffect(() => {
    if (step.kind !== 'checking' && step.kind !== 'committing') return;
    const id = step.id;
    const timer = setInterval(() => {
      uploadStatus(id)
        .then((s) => setStage({ stage: s.stage, done: s.done }))
        .catch(() => undefined);
    }, 500);
    return () => clearInterval(timer);
  }, [step]);

  const fail = (e: unknown) => setError(e instanceof Error ? e.message : String(e));

  const check = async (id: string, next: ImportChoices) => {
    setStep({ kind: 'checking', id });
    setStage({ stage: 'reading', done: 0 });
    setError(null);
    try {
      const r = await dryRun(id, next);
      setReport(r);
      setSelected(null);
      // Keep what the server decided per file as the starting point of the form.
      const settings: NonNullable<ImportChoices['settings']> = { ...next.settings };
      for (const s of r.sources) settings[s.name] ??= { layer: s.layer ?? undefined, crs: s.crs ?? undefined, mapping: s.format === 'district-folder' ? undefined : s.mapping };
      setChoices({ ...next, settings });
      setStep({ kind: 'report', id });
    } catch (e) {
      fail(e);
      setStep({ kind: 'report', id });
    }
  };

  const start = async () => {
    setError(null);
    try {
      setStep({ kind: 'uploading', sent: 0, total: 1 });
      const upload = await uploadFiles(files, (sent, total) => setStep({ kind: 'uploading', sent, total }));
      await check(upload.id, { settings: {}, repairs: [], ...(isNew ? { newDistrict: { name: newDistrict.name.trim(), code: newDistrict.code.trim() } } : {}) });
    } catch (e) {
      fail(e);
      setStep({ kind: 'choose' });
    }
  };

  const commit = async (id: string) => {
    if (!report) return;
    const layers = Object.keys(report.counts).map((l) => t(`import.layer.${l}` as MessageKey)).join('、');
    if (!window.confirm(isNew ? t('import.newDistrict.confirm', { name: newDistrict.name.trim(), layers }) : t('import.confirm', { layers }))) return;
    setStep({ kind: 'committing', id });
    setError(null);
    try {
      const result = await commitImport(id, choices);
      await client.invalidateQueries();
      setStep({ kind: 'done', result });
    } catch (e) {
      if (e instanceof ApiRequestError && e.status === 422) {
        const details = e.details as { report?: ImportReport } | null;
        if (details?.report) setReport(details.report);
      }
      fail(e);
      setStep({ kind: 'report', id });
    }
  };

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setFiles([...event.dataTransfer.files]);
  };

  if (step.kind === 'done') {
    const counts = Object.entries(step.result.counts)
      .map(([layer, c]) => t('import.counts', { layer: t(`import.layer.${layer}` as MessageKey), ...c }))
      .join('；');
    return (
      <div className="import-done" role="status">
        <p>{t('import.committed', { editId: step.result.editId, counts, reassigned: step.result.reassigned })}</p>
        <button type="button" onClick={() => (setStep({ kind: 'choose' }), setFiles([]), setReport(null))}>
          {t('import.restart')}
        </button>
      </div>
    );
  }

  const id = step.kind === 'checking' || step.kind === 'report' || step.kind === 'committing' ? step.id : null;
  const busy = step.kind === 'uploading' || step.kind === 'checking' || step.kind === 'committing';
  return (
    <div className="import-flow">
      {isNew && (
        <fieldset className="import-new-district" disabled={step.kind !== 'choose'} data-testid="new-district">
          <legend>{t('import.newDistrict.title')}</legend>
          <p className="hint">{t('import.newDistrict.hint')}</p>
          <label>
            {t('import.newDistrict.name')}
            <input name="district-name" value={newDistrict.name} onChange={(e) => setNewDistrict({ ...newDistrict, name: e.target.value })} maxLength={50} placeholder="某某区" />
          </label>
          <label>
            {t('import.newDistrict.code')}
            <input
              name="district-code"
              value={newDistrict.code}
              onChange={(e) => setNewDistrict({ ...newDistrict, code: e.target.value })}
              inputMode="numeric"
              maxLength={6}
              pattern="\d{6}"
              placeholder="610102"
            />
          </label>
          {newDistrict.code.trim() !== '' && !/^\d{6}$/.test(newDistrict.code.trim()) && <p className="field-error">{t('import.newDistrict.codeInvalid')}</p>}
        </fieldset>
      )}
      {step.kind === 'choose' || step.kind === 'uploading' ? (
        <div className="import-drop" onDragOver={(e) => e.preventDefault()} onDrop={onDrop} onClick={() => input.current?.click()} role="button" tabIndex={0}>
          <input ref={input} type="file" multiple hidden accept=".geojson,.json,.zip,.shp,.dbf,.prj,.cpg,.shx,.csv" onChange={(e) => setFiles([...(e.target.files ?? [])])} />
          <p>{t('import.drop')}</p>
          {files.length > 0 && <p className="import-selected">{t('import.selected', { count: files.length, size: formatBytes(files.reduce((n, f) => n + f.size, 0)) })}: {files.map((f) => f.name).join(', ')}</p>}
        </div>
      ) : null}
      {step.kind === 'choose' && (
        <button type="button" className="primary" disabled={files.length === 0 || (isNew && !newDistrictValid)} onClick={() => void start()}>
          {t('import.upload')}
        </button>
      )}
      {step.kind === 'uploading' && (
        <div className="import-progress">
          <progress max={step.total} value={step.sent} />
          <span>{t('import.uploading', { percent: Math.floor((100 * step.sent) / Math.max(step.total, 1)), sent: formatBytes(step.sent), total: formatBytes(step.total) })}</span>
        </div>
      )}
      {(step.kind === 'checking' || step.kind === 'committing') && (
        <div className="import-progress" role="status">
          <progress />
          <span>
            {step.kind === 'committing'
              ? t('import.committing')
              : t('import.checking', { stage: t(`import.stage.${stage.stage}` as MessageKey) }) + (stage.done > 1 ? ` — ${stage.done.toLocaleString()}` : '')}
          </span>
        </div>
      )}
      {error && <p className="import-error" role="alert">{t('import.error', { message: error })}</p>}
      {report && id && (
        <>
          <SourcesForm report={report} choices={choices} setChoices={setChoices} options={options.data} disabled={busy} />
          <ReportView report={report} choices={choices} setChoices={setChoices} selected={selected} onSelect={setSelected} />
          <div className="import-actions">
            <button type="button" disabled={busy} onClick={() => void check(id, choices)}>
              {t('import.recheck')}
            </button>
            <button type="button" className="primary" disabled={busy || !report.valid} onClick={() => void commit(id)}>
              {t('import.commit')}
            </button>
          </div>
        </>
      )}
    </div>
  );
}

function SourcesForm({
  report,
  choices,
  setChoices,
  options,
  disabled,
}: {
  report: ImportReport;
  choices: ImportChoices;
  setChoices: (c: ImportChoices) => void;
  options: { crs: { crs: string; label: string }[]; layers: string[]; fields: Record<string, string[]> } | undefined;
  disabled: boolean;
}) {
  const { t } = useI18n();
  const update = (name: string, change: { layer?: string; crs?: string; mapping?: Record<string, string> }) =>
    setChoices({ ...choices, settings: { ...choices.settings, [name]: { ...choices.settings?.[name], ...change } } });
  return (
    <section className="import-sources">
      <h2>{t('import.sources')}</h2>
      {report.sources.map((s) => {
        const setting = choices.settings?.[s.name] ?? {};
        const layer = setting.layer ?? s.layer ?? '';
        const fields = options?.fields[layer] ?? [];
        return (
          <fieldset key={s.name} disabled={disabled}>
            <legend>
              {s.name} — {s.format}, {t('import.col.features')} {s.features.toLocaleString()}
              {s.encoding ? `, ${t('import.col.encoding')} ${s.encoding}` : ''}
            </legend>
            <label>
              {t('import.col.layer')}
              <select value={layer} onChange={(e) => update(s.name, { layer: e.target.value })}>
                {!layer && <option value="">—</option>}
                {(options?.layers ?? []).map((l) => (
                  <option key={l} value={l}>
                    {t(`import.layer.${l}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('import.col.crs')}
              <select value={setting.crs ?? s.crs ?? ''} onChange={(e) => update(s.name, { crs: e.target.value })}>
                {!(setting.crs ?? s.crs) && <option value="">—</option>}
                {(options?.crs ?? []).map((c) => (
                  <option key={c.crs} value={c.crs}>
                    {c.label}
                  </option>
                ))}
              </select>
              {s.crsFrom && <small> {t(`import.crsFrom.${s.crsFrom}` as MessageKey)}</small>}
            </label>
            {s.crsNote && <p className="hint">{s.crsNote}</p>}
            {s.format !== 'district-folder' && s.fields.length > 0 && (
              <div className="import-mapping">
                <span>{t('import.mapping')}</span>
                {fields.map((field) => (
                  <label key={field}>
                    {t(`import.field.${field}` as MessageKey)}
                    <select
                      value={setting.mapping?.[field] ?? s.mapping[field] ?? ''}
                      onChange={(e) => update(s.name, { mapping: { ...s.mapping, ...setting.mapping, [field]: e.target.value } })}
                    >
                      <option value="">{t('import.mapping.none')}</option>
                      {s.fields.map((f) => (
                        <option key={f} value={f}>
                          {f}
                        </option>
                      ))}
                    </select>
                  </label>
                ))}
              </div>
            )}
          </fieldset>
        );
      })}
      {report.skipped.map((s) => (
        <p key={s.name} className="hint">
          {t('import.skipped', { name: s.name, reason: s.reason })}
        </p>
      ))}
    </section>
  );
}

function ReportView({
  report,
  choices,
  setChoices,
  selected,
  onSelect,
}: {
  report: ImportReport;
  choices: ImportChoices;
  setChoices: (c: ImportChoices) => void;
  selected: number | null;
  onSelect: (i: number) => void;
}) {
  const { t } = useI18n();
  const counts = Object.entries(report.counts)
    .map(([l, n]) => `${t(`import.layer.${l}` as MessageKey)} ${n}`)
    .join('，');
  const repairs = choices.repairs ?? [];
  const offered = Object.entries(report.repairsOffered);
  const applied = Object.keys(report.repairsApplied);
  const toggle = (kind: string) => setChoices({ ...choices, repairs: repairs.includes(kind) ? repairs.filter((r) => r !== kind) : [...repairs, kind] });
  const shown = report.problems.slice(0, SHOWN_PROBLEMS);
  return (
    <section className="import-report">
      <h2>{t('import.report')}</h2>
      <p className={report.valid ? 'import-valid' : 'import-invalid'} role="status">
        {report.valid ? t('import.valid', { counts }) : t('import.invalid', { errors: report.errors, warnings: report.warnings })}
      </p>
      {report.parentsFound > 0 && <p>{t('import.parentsFound', { count: report.parentsFound })}</p>}
      {report.newUnits.length > 0 && <p>{t('import.newUnits', { names: report.newUnits.map((u) => u.name).join('、') })}</p>}
      {(offered.length > 0 || applied.length > 0) && (
        <fieldset className="import-repairs">
          <legend>{t('import.repairs')}</legend>
          {[...new Set([...offered.map(([k]) => k), ...applied])].map((kind) => (
            <label key={kind}>
              <input type="checkbox" checked={repairs.includes(kind)} onChange={() => toggle(kind)} />
              {t(`import.repair.${kind}` as MessageKey)}
              {report.repairsOffered[kind] ? t('import.repairCount', { count: report.repairsOffered[kind] }) : ''}
            </label>
          ))}
        </fieldset>
      )}
      <LayerChanges report={report} />
      <div className="import-report-body">
        {report.problems.length === 0 ? (
          <p>{t('import.noProblems')}</p>
        ) : (
          <table className="import-problems">
            <thead>
              <tr>
                <th>{t('import.col.severity')}</th>
                <th>{t('import.col.problem')}</th>
                <th>{t('import.col.feature')}</th>
                <th>{t('import.col.where')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p, i) => (
                <tr key={i} className={`${p.severity}${i === selected ? ' selected' : ''}`} onClick={() => onSelect(i)}>
                  <td>{t(`import.severity.${p.severity}` as MessageKey)}</td>
                  <td>
                    <strong>{t(`import.code.${p.code}` as MessageKey)}</strong> <code>{p.code}</code>
                    <br />
                    {p.message}
                  </td>
                  <td>
                    {t(`import.layer.${p.layer}` as MessageKey)} {p.featureId}
                  </td>
                  <td>
                    {p.source ? `${p.source}${p.feature ? ` #${p.feature}` : ''}` : ''}
                    {p.location ? ` ${p.location[0].toFixed(6)}, ${p.location[1].toFixed(6)}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {report.problems.length > SHOWN_PROBLEMS && <p className="hint">{t('import.more', { count: report.problems.length - SHOWN_PROBLEMS })}</p>}
        <ProblemMap problems={shown} extent={report.sources.map((s) => s.bbox)} selected={selected} onSelect={onSelect} />
      </div>
    </section>
  );
}

/**
 * What the commit will do to each stored layer (each layer an import touches is replaced whole):
 * features stored now, in the files, added, changed and removed, and the open issues that change
 * owner; provisional zones the district will hold.
 */
function LayerChanges({ report }: { report: ImportReport }) {
  const { t } = useI18n();
  if (report.layerChanges.length === 0) return null;
  const provisional = Object.entries(report.provisional).filter(([, n]) => n > 0);
  return (
    <div className="import-layer-changes">
      <h3>{t('import.changes.title')}</h3>
      <table data-testid="layer-changes">
        <thead>
          <tr>
            <th>{t('import.col.layer')}</th>
            <th>{t('import.changes.stored')}</th>
            <th>{t('import.changes.incoming')}</th>
            <th>{t('import.changes.added')}</th>
            <th>{t('import.changes.changed')}</th>
            <th>{t('import.changes.removed')}</th>
          </tr>
        </thead>
        <tbody>
          {report.layerChanges.map((c) => (
            <tr key={c.layer} data-layer={c.layer}>
              <td>{t(`import.layer.${c.layer}` as MessageKey)}</td>
              <td>{c.stored.toLocaleString()}</td>
              <td>{c.incoming.toLocaleString()}</td>
              <td>{c.added.toLocaleString()}</td>
              <td>{c.changed.toLocaleString()}</td>
              <td className={c.removed > 0 ? 'import-removed' : undefined}>{c.removed.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        {report.issuesReassigned === null ? t('import.changes.noIssues') : t('import.changes.issues', { count: report.issuesReassigned })}
        {provisional.length > 0 &&
          ' ' + t('import.changes.provisional', { zones: provisional.map(([l, n]) => `${t(`import.layer.${l}` as MessageKey)} ${n}`).join('、') })}
      </p>
    </div>
  );
}

function ExportPanel() {
  const { t } = useI18n();
  return (
    <section className="export-panel">
      <h2>{t('export.title')}</h2>
      <p className="hint">{t('export.intro')}</p>
      <ul>
        {EXPORT_LINKS.map((link) => (
          <li key={link.key}>
            <a href={link.href} download>
              {t(`export.${link.key}` as MessageKey)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
