import { runAssign } from './assign-command';
import { runBench } from './bench-command';
import { runGenerate } from './generate-command';
import { runValidate } from './validate-command';

const USAGE = `dutymap — 创城责任一张图

Usage:
  dutymap generate --out DIR [--seed N] [--scale K]   write a synthetic district folder
  dutymap validate DIR                                schema + topology report; exit 1 on errors
  dutymap assign IN --district DIR [--policy FILE]     assign points (GeoJSON or CSV) → GeoJSON on stdout
  dutymap bench                                       run the benchmarks, JSON on stdout
`;

/** Runs one CLI command; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'generate':
        return await runGenerate(rest);
      case 'validate':
        return await runValidate(rest);
      case 'assign':
        return await runAssign(rest);
      case 'bench':
        return await runBench(rest);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`dutymap: unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`dutymap ${command}: ${(error as Error).message}\n`);
    return 1;
  }
}
