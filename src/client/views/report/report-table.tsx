import { cellFormat, formatCell, type ReportTable } from '../../../core/reports/weekly-tables';
import { useI18n } from '../../i18n/i18n';

/** One table of the bulletin; its header repeats on every printed page and no row is cut. */
export function ReportTableView({ table }: { table: ReportTable }) {
  const { lang, label } = useI18n();
  const long = table.rows.length > 25;
  return (
    <section className={`report-section${long ? ' report-section-long' : ''}`} data-table={table.id}>
      <h2>{label(table.title)}</h2>
      {table.note && <p className="report-note">{label(table.note)}</p>}
      {table.rows.length === 0 ? (
        <p className="report-empty">{label(table.empty)}</p>
      ) : (
        <table className="report-table">
          <thead>
            <tr>
              {table.columns.map((c, i) => (
                <th key={i} className={c.format ? 'num' : undefined}>
                  {label(c.label)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((value, c) => {
                  const format = cellFormat(table, r, c);
                  const repeated = c === table.groupColumn && r > 0 && table.rows[r - 1][c] === value;
                  return (
                    <td key={c} className={typeof value === 'number' ? 'num' : repeated ? 'repeat' : table.columns[c]?.nowrap ? 'nowrap' : undefined}>
                      {repeated ? '' : formatCell(value, format, lang)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
