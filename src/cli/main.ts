import { failureLine } from './cli-language';

// Commands load on demand: `dutymap user list` need not load the importer, the engine or the benchmarks.
const USAGE = `dutymap — 创城责任一张图

Usage:
  dutymap generate --out DIR [--seed N] [--scale K]   write a synthetic district folder
  dutymap validate DIR                                schema + topology report; exit 1 on errors
  dutymap assign IN --district DIR [--policy FILE]     assign points (GeoJSON or CSV) → GeoJSON on stdout
  dutymap bench                                       run the benchmarks, JSON on stdout
  dutymap import FILE… [--crs C] [--layer L] [--map field=attr]… [--out DIR | --db FILE]
                                                      read GeoJSON/Shapefile/CSV/district folder → report; store
  dutymap export DIR [--db FILE | --from FOLDER]       district folder, Shapefile zip, ledger CSV and XLSX
  dutymap migrate --from sqlite:FILE --to postgres://…  copy a district with its history into PostgreSQL
  dutymap user add NAME --role ROLE | list | passwd NAME | disable NAME | enable NAME
                                                      manage users (the first admin); passwords asked, never arguments
  dutymap backup FILE [--db FILE]                     online backup of the SQLite database while the server runs
  dutymap restore FILE [--db FILE] [--force]          replace the SQLite database with a checked backup
`;

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'generate':
        return await (await import('./generate-command')).runGenerate(rest);
      case 'validate':
        return await (await import('./validate-command')).runValidate(rest);
      case 'assign':
        return await (await import('./assign-command')).runAssign(rest);
      case 'bench':
        return await (await import('./bench-command')).runBench(rest);
      case 'import':
        return await (await import('./import-command')).runImportCommand(rest);
      case 'export':
        return await (await import('./export-command')).runExportCommand(rest);
      case 'migrate':
        return await (await import('./migrate-command')).runMigrate(rest);
      case 'user':
        return await (await import('./user-command')).runUserCommand(rest);
      case 'backup':
        return await (await import('./backup-command')).runBackupCommand(rest);
      case 'restore':
        return await (await import('./backup-command')).runRestoreCommand(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`dutymap: 没有 "${command}" 这个命令，可用的命令见下 (unknown command "${command}")\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`${failureLine(command, (error as Error).message)}\n`);
    return 1;
  }
}
