import * as path from 'node:path';

/** Flags shared by rules:check and rules:test, spelled as promtool spells them. */
export interface RuleCliArgs {
  files: string[];
  ignoreUnknownFields: boolean;
  enableAtModifier: boolean;
  enableNegativeOffset: boolean;
  enableExperimentalFunctions: boolean;
  lint: 'all' | 'duplicate-rules' | 'none';
  lintFatal: boolean;
  /** rules:test's --run (repeatable). */
  run: string[];
  help: boolean;
}

export class CliUsageError extends Error {}

const FEATURES = {
  at: 'promql-at-modifier',
  negative: 'promql-negative-offset',
  experimental: 'promql-experimental-functions',
};

/**
 * Parses argv. Prometheus 3 always allows `@` and negative offsets; `--disable-feature=promql-at-modifier,promql-negative-offset`
 * turns them off (as promtool 2's defaults and the disabled rows of upstream's tests do).
 */
export function parseRuleCliArgs(argv: readonly string[], allowed: readonly string[]): RuleCliArgs {
  const args: RuleCliArgs = {
    files: [],
    ignoreUnknownFields: false,
    enableAtModifier: true,
    enableNegativeOffset: true,
    enableExperimentalFunctions: false,
    lint: 'duplicate-rules',
    lintFatal: false,
    run: [],
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) {
      args.files.push(a);
      continue;
    }
    const eq = a.indexOf('=');
    const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
    const value = (): string => {
      if (eq >= 0) return a.slice(eq + 1);
      const next = argv[++i];
      if (next === undefined) throw new CliUsageError(`--${name} needs a value`);
      return next;
    };
    if (name === 'help') {
      args.help = true;
      continue;
    }
    if (!allowed.includes(name)) throw new CliUsageError(`unknown flag --${name}`);
    switch (name) {
      case 'ignore-unknown-fields':
        args.ignoreUnknownFields = true;
        break;
      case 'lint-fatal':
        args.lintFatal = true;
        break;
      case 'lint': {
        const v = value();
        if (v !== 'all' && v !== 'duplicate-rules' && v !== 'none') throw new CliUsageError(`unknown lint option: ${JSON.stringify(v)}`);
        args.lint = v;
        break;
      }
      case 'run':
        args.run.push(value());
        break;
      case 'enable-feature':
      case 'disable-feature':
        for (const f of value().split(',').map((s) => s.trim()).filter(Boolean)) {
          const on = name === 'enable-feature';
          if (f === FEATURES.at) args.enableAtModifier = on;
          else if (f === FEATURES.negative) args.enableNegativeOffset = on;
          else if (f === FEATURES.experimental) args.enableExperimentalFunctions = on;
          else throw new CliUsageError(`unknown feature ${JSON.stringify(f)} (known: ${Object.values(FEATURES).join(', ')})`);
        }
        break;
      default:
        throw new CliUsageError(`unknown flag --${name}`);
    }
  }
  return args;
}

/** npm runs scripts from the repository root; file arguments are meant relative to where the user typed them. */
export function resolveUserPath(file: string): string {
  return path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
}
