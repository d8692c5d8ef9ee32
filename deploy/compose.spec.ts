// docker-compose.yml and the Dockerfile against the workspace: ClickHouse locked down, every service deployed,
// every npm workspace's package.json reaching `npm ci`. A Docker engine is not needed (nor available in CI).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const ROOT = join(__dirname, '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

type Mapping = Record<string, unknown>;
interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string; args?: Mapping | string[] };
  environment?: Mapping | string[];
  ports?: unknown[];
  volumes?: (string | Mapping)[];
  healthcheck?: { test?: string | string[] };
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

/** `KEY=value` lists and mappings alike, as strings. */
function asMap(value: Mapping | string[] | undefined): Record<string, string> {
  if (!value) return {};
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map((entry) => [entry.split('=')[0], entry.slice(entry.indexOf('=') + 1)]));
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v == null ? '' : String(v)]));
}

/** What compose makes of a value when none of the variables it names is set: `${X:-d}` → d, `${X}` → ''. */
function withEmptyEnvironment(value: string): string {
  return value
    .replace(/\$\$/g, '\u0000')
    .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}/g, (_, fallback?: string) => fallback ?? '')
    .replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, '')
    .replace(/\u0000/g, '$');
}

/** Directories matching the `workspaces` globs of package.json (`libs/*`, `services/*`) that hold a package.json. */
function workspaceDirs(): string[] {
  const globs = (JSON.parse(read('package.json')) as { workspaces: string[] }).workspaces;
  return globs.flatMap((glob) => expand(glob)).filter((dir) => existsSync(join(ROOT, dir, 'package.json')));
}

/** Expands a path glob whose segments are literal or contain `*`, against the repository. */
function expand(glob: string): string[] {
  let paths = [''];
  for (const segment of glob.split('/')) {
    const pattern = globRegExp(segment);
    paths = paths.flatMap((base) => {
      const dir = join(ROOT, base);
      if (!segment.includes('*')) return existsSync(join(dir, segment)) ? [join(base, segment)] : [];
      if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
      return readdirSync(dir)
        .filter((name) => pattern.test(name))
        .map((name) => join(base, name));
    });
  }
  return paths.sort();
}

function globRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*\/?|\*|\?)/)
    .map((part) => {
      if (part === '**' || part === '**/') return '(?:.*/)?';
      if (part === '*') return '[^/]*';
      if (part === '?') return '[^/]';
      return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}

interface Instruction {
  op: string;
  args: string;
}
interface Stage {
  name: string;
  instructions: Instruction[];
}

/** The Dockerfile's stages, with continuation lines joined and comments dropped. */
function dockerfileStages(text: string): Stage[] {
  const lines = text.replace(/\\\r?\n/g, ' ').split(/\r?\n/).map((l) => l.trim());
  const stages: Stage[] = [];
  for (const line of lines) {
    if (!line || line.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (op.toUpperCase() === 'FROM') {
      const alias = /\sAS\s+(\S+)/i.exec(args);
      stages.push({ name: alias ? alias[1] : String(stages.length), instructions: [] });
    } else {
      stages.at(-1)!.instructions.push({ op: op.toUpperCase(), args });
    }
  }
  return stages;
}

/** Whether .dockerignore keeps `path` out of the build context (last matching line wins; a matched directory takes its contents). */
function dockerIgnored(path: string, ignoreFile: string): boolean {
  let ignored = false;
  for (const raw of ignoreFile.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const negated = line.startsWith('!');
    const pattern = globRegExp(line.replace(/^!/, '').replace(/^\/+/, '').replace(/\/+$/, ''));
    const parts = path.split('/');
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
    if (prefixes.some((p) => pattern.test(p))) ignored = !negated;
  }
  return ignored;
}

const copySources = (args: string) =>
  args
    .split(/\s+/)
    .filter((a) => a && !a.startsWith('--'))
    .slice(0, -1);

/**
 * The files of the repository the stage that runs `npm ci` receives: what it COPYs from the build context, plus,
 * for a `COPY --from=<stage>`, the manifests that stage extracts from a full copy of the context with `<glob>/package.json`.
 */
function filesReachingNpmCi(stages: Stage[], ignoreFile: string): { stage: Stage; files: Set<string> } {
  const stage = stages.find((s) => s.instructions.some((i) => i.op === 'RUN' && /\bnpm ci\b/.test(i.args)));
  if (!stage) throw new Error('no Dockerfile stage runs npm ci');
  const files = new Set<string>();
  const fromContext = (source: string) => {
    for (const path of expand(source.replace(/^\.\//, ''))) {
      if (!dockerIgnored(path, ignoreFile)) files.add(path);
    }
  };
  for (const { op, args } of stage.instructions) {
    if (op === 'RUN' && /\bnpm ci\b/.test(args)) break;
    if (op !== 'COPY' && op !== 'ADD') continue;
    const from = /--from=(\S+)/.exec(args)?.[1];
    if (!from) {
      copySources(args).forEach(fromContext);
      continue;
    }
    const source = stages.find((s) => s.name === from);
    if (!source) throw new Error(`COPY --from=${from}: no such stage`);
    const copiesWholeContext = source.instructions.some((i) => i.op === 'COPY' && !i.args.includes('--from') && copySources(i.args).join(' ') === '.');
    if (!copiesWholeContext) throw new Error(`stage ${from} must COPY . . to extract the manifests from the whole tree`);
    const script = source.instructions.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    for (const [, glob] of script.matchAll(/(?:^|\s)((?:[\w.*-]+\/)*package(?:-lock)?\.json)(?=\s|;|$)/g)) fromContext(glob);
  }
  return { stage, files };
}

describe('docker-compose.yml', () => {
  describe('clickhouse', () => {
    const clickhouse = services['clickhouse'];
    const env = asMap(clickhouse?.environment);

    it('is not published on the host', () => {
      expect(clickhouse).toBeDefined();
      expect(clickhouse.ports ?? []).toEqual([]);
    });

    it('has a user with a non-empty password, even with no variable set', () => {
      expect(withEmptyEnvironment(env['CLICKHOUSE_PASSWORD'] ?? '')).not.toBe('');
      expect(withEmptyEnvironment(env['CLICKHOUSE_USER'] ?? '')).not.toBe('');
      expect(withEmptyEnvironment(env['CLICKHOUSE_PASSWORD'] ?? '')).not.toBe('default');
    });

    it('is reached by every service that uses it with the same user and password', () => {
      const clients = Object.entries(services).filter(([, s]) => asMap(s.environment)['CLICKHOUSE_URL']);
      expect(clients.length).toBeGreaterThan(0);
      for (const [name, service] of clients) {
        const clientEnv = asMap(service.environment);
        expect({ name, user: clientEnv['CLICKHOUSE_USER'], password: clientEnv['CLICKHOUSE_PASSWORD'] }).toEqual({
          name,
          user: env['CLICKHOUSE_USER'],
          password: env['CLICKHOUSE_PASSWORD'],
        });
      }
    });
  });

  const serviceDirs = readdirSync(join(ROOT, 'services')).filter((name) => statSync(join(ROOT, 'services', name)).isDirectory());
  const built = Object.entries(services).filter(([, s]) => s.build);

  it('finds the services', () => {
    expect(serviceDirs).toEqual(expect.arrayContaining(['incident', 'ingest']));
  });

  it.each(serviceDirs)('deploys services/%s from the Dockerfile with SERVICE=<name>', (name) => {
    const matches = built.filter(([, s]) => typeof s.build === 'object' && asMap(s.build.args)['SERVICE'] === name);
    expect(matches.map(([key]) => key)).toEqual([name]);
    const build = matches[0][1].build as { context?: string; dockerfile?: string };
    expect(build.context ?? '.').toBe('.');
    expect(build.dockerfile ?? 'Dockerfile').toBe('Dockerfile');
  });

  it.each(built.map(([name]) => name))('%s builds an existing service and checks /readyz', (name) => {
    const service = services[name];
    expect(typeof service.build).toBe('object');
    const target = asMap((service.build as { args?: Mapping }).args)['SERVICE'];
    expect(serviceDirs).toContain(target);
    expect([service.healthcheck?.test ?? []].flat().join(' ')).toMatch(/\/readyz\b/);
  });

  it('mounts files that exist (with no variable set)', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        if (typeof volume !== 'string') continue;
        const source = withEmptyEnvironment(volume.split(':')[0]);
        if (!source.startsWith('.')) continue; // a named volume
        expect({ name, source, exists: existsSync(join(ROOT, source)) }).toEqual({ name, source, exists: true });
      }
    }
  });
});

describe('Dockerfile', () => {
  const stages = dockerfileStages(read('Dockerfile'));
  const ignoreFile = existsSync(join(ROOT, '.dockerignore')) ? read('.dockerignore') : '';

  it('gives npm ci package.json, package-lock.json and every workspace package.json', () => {
    const { files } = filesReachingNpmCi(stages, ignoreFile);
    const expected = ['package.json', 'package-lock.json', ...workspaceDirs().map((dir) => `${dir}/package.json`)];
    expect(expected).toEqual(expect.arrayContaining(['libs/series-model/package.json', 'services/incident/package.json']));
    expect([...files].sort()).toEqual(expect.arrayContaining(expected.sort()));
  });

  it('builds the service named by the SERVICE argument', () => {
    const runtime = stages.at(-1)!;
    expect(runtime.instructions).toContainEqual({ op: 'ARG', args: expect.stringMatching(/^SERVICE\b/) });
    expect(runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args)).toContainEqual(expect.stringContaining('services/${SERVICE}'));
  });

  describe('the checks above', () => {
    it('see a deps stage that lists manifests one by one, and what it leaves out', () => {
      const explicit = dockerfileStages('FROM node AS deps\nCOPY package.json package-lock.json ./\nCOPY libs/platform/package.json libs/platform/\nRUN npm ci\n');
      const { files } = filesReachingNpmCi(explicit, '');
      expect([...files].sort()).toEqual(['libs/platform/package.json', 'package-lock.json', 'package.json']);
    });

    it('drop what .dockerignore excludes', () => {
      expect(dockerIgnored('node_modules/x/package.json', 'node_modules\n')).toBe(true);
      expect(dockerIgnored('libs/a/package.json', '**/package.json\n!libs/a/package.json\n')).toBe(false);
      expect(dockerIgnored('libs/a/package.json', 'libs/*\n')).toBe(true);
      expect(dockerIgnored('libs/a/package.json', '.data\n')).toBe(false);
    });

    it('read compose defaults', () => {
      expect(withEmptyEnvironment('${P:-dev}')).toBe('dev');
      expect(withEmptyEnvironment('${P}')).toBe('');
      expect(withEmptyEnvironment('$P')).toBe('');
    });
  });
});
