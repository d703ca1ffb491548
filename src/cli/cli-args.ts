import { cliError } from './cli-language';

/** Parsed command-line arguments: positionals in order, `--name value` and `--flag` options. */
export interface CliArgs {
  positionals: string[];
  options: Map<string, string | true>;
}

/** Splits argv into positionals and options; `--name=value` and `--name value` both work. */
export function parseArgs(argv: string[], flags: readonly string[] = []): CliArgs {
  const positionals: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (eq >= 0) options.set(name, arg.slice(eq + 1));
    else if (flags.includes(name)) options.set(name, true);
    else if (i + 1 < argv.length) options.set(name, argv[++i]);
    else throw cliError(`选项 --${name} 缺少取值`, `option --${name} needs a value`);
  }
  return { positionals, options };
}

/** An option's string value, or the fallback; throws with a clear message when it is a bare flag. */
export function stringOption(args: CliArgs, name: string, fallback?: string): string | undefined {
  const value = args.options.get(name);
  if (value === true) throw cliError(`选项 --${name} 缺少取值`, `option --${name} needs a value`);
  return value ?? fallback;
}

/** An option parsed as a whole number, with range checking. */
export function intOption(args: CliArgs, name: string, fallback: number, min = -Infinity): number {
  const raw = stringOption(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    const range = min > -Infinity ? ` ≥ ${min}` : '';
    throw cliError(`选项 --${name} 应为整数${range}，收到 "${raw}"`, `option --${name} must be a whole number${range}, got "${raw}"`);
  }
  return value;
}
