import { resolve } from 'node:path';
import { redactUrl } from '../server/storage/database';
import { copySqliteToPostgres } from '../server/storage/copy-to-postgres';
import { intOption, parseArgs, stringOption } from './cli-args';

const USAGE = `Usage: dutymap migrate --from sqlite:FILE --to postgres://USER@HOST:PORT/DB [--district N] [--photos DIR] [--json]

Copies the district of a SQLite database into PostgreSQL (with PostGIS), history included:
meta, units, every zone feature with its versions and edits, every issue with its history,
users, sessions, API keys, photos (from the files beside the database into the database),
check-ins and road walks. The target is migrated to the current schema first; the copy is
one transaction (all or nothing) and is refused when the target already holds the district.
The SQLite file is read through a snapshot and not modified: a server may keep running on it,
but writes made after the snapshot are not copied — stop the server for the final copy.

  --district N   the district id in the target (default 1; several districts can share a database)
  --photos DIR   the SQLite database's photo folder (default FILE's name + "-photos" beside it)
  --json         the report as JSON on stdout
`;

/** `dutymap migrate --from sqlite:FILE --to postgres://…`: returns the exit code. */
export async function runMigrate(argv: string[]): Promise<number> {
  const args = parseArgs(argv, ['json', 'help']);
  if (args.options.has('help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const from = stringOption(args, 'from');
  const to = stringOption(args, 'to');
  if (!from?.startsWith('sqlite:') || !to || !/^postgres(ql)?:\/\//.test(to) || args.positionals.length) {
    process.stderr.write(`dutymap migrate: 需要 --from sqlite:文件 和 --to postgres://… (expected --from sqlite:FILE and --to postgres://…)\n\n${USAGE}`);
    return 2;
  }
  const json = args.options.has('json');
  const file = resolve(from.slice('sqlite:'.length));
  const report = await copySqliteToPostgres({
    from: file,
    to,
    districtId: intOption(args, 'district', 1, 1),
    photoDir: stringOption(args, 'photos') ? resolve(stringOption(args, 'photos')!) : undefined,
    onTable: json ? undefined : (table, rows) => process.stderr.write(`  ${table}: ${rows} rows\n`),
  });
  if (json) process.stdout.write(`${JSON.stringify({ ...report, to: redactUrl(to) }, null, 2)}\n`);
  else {
    const total = Object.values(report.tables).reduce((a, b) => a + b, 0);
    process.stdout.write(`copied district ${report.districtId} from ${file} to ${redactUrl(to)}: ${total} rows in ${report.seconds} s (schema version ${report.schemaVersion})\n`);
  }
  return 0;
}
