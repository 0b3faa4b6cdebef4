// Issue 13 item 11: a property-based test that mutates valid platform files
// (drop, rename and retype keys, boundary and huge numbers, odd strings,
// path-like names, anchors and aliases) and asserts: exit 0 or 1, never 2;
// on 1 nothing is written and the message names a path present in the
// input (or a required one, or a file position); on 0 the output validates.
// Fixed seed, and a run count that fits CI (COZYNET_PROPERTY_RUNS to raise it).
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { cli, ROOT, tmp } from './helpers';
import { validateFolder } from '../../src/cli/validate-command';

const RUNS = Number(process.env.COZYNET_PROPERTY_RUNS ?? 200);
const SEED = Number(process.env.COZYNET_PROPERTY_SEED ?? 20261201);

/** Valid platform files the mutations start from. */
const BASES: any[] = [
  parse(fs.readFileSync(path.join(ROOT, 'examples', 'platforms', 'contract.yaml'), 'utf8')),
  {
    variant: 'cilium-kilo',
    hubble: { enabled: true, metrics: ['dns', 'drop'] },
    firewall: { extraPorts: [{ port: 9100, protocol: 'TCP', description: 'node exporter' }] },
    components: {
      metallb: { namespace: 'metallb-system', releaseName: 'lb', dependsOn: ['kilo'] },
      multus: { memoryLimitMiB: 512 },
      kilo: { wireguardPort: 51821 },
      cilium: { chart: { repository: 'oci://ghcr.io/example/charts', version: '1.19.5' } },
    },
    delivery: { flux: { namespace: 'flux-system', interval: '10m', retries: 5 }, terraform: false },
    tenants: [{ name: 'root', children: [{ name: 'a' }, { name: 'b', children: [{ name: 'c' }] }] }],
  },
];

const ODD_VALUES: any[] = [
  0, -1, 1.5, 65535, 65536, 2 ** 31, 2 ** 53, 1e300, -1e300,
  '', ' ', 'x', 'UPPER', 'ünïcödé', '../x', '../../escaped', '/etc/passwd', 'a/b', 'a'.repeat(300), 'line\nbreak',
  '10.244.0.0/016', 'fd00::/064', '010.0.0.1', '0.0.0.0/0', '::/0', '10.244.0.0/16', 'tenant-root', 'kube-system',
  '5m', 'forever', 'file:///etc', 'oci://', 'cilium', 'metallb',
  true, false, null, [], {}, [1, 2], { a: 1 },
];

type Mutation =
  | { op: 'drop' | 'rename' | 'retype'; at: number; value: number; extra: string }
  | { op: 'anchor' | 'unresolved' | 'cycle'; at: number; value: number; extra: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('drop', 'rename', 'retype', 'retype', 'retype', 'anchor', 'unresolved', 'cycle'),
  at: fc.nat(),
  value: fc.nat(),
  extra: fc.constantFrom('s', 'X', '_', '-', '.'),
}) as fc.Arbitrary<Mutation>;

/** Every path (list of keys/indices) to a value inside `obj`. */
function paths(obj: any, prefix: Array<string | number> = []): Array<Array<string | number>> {
  const out: Array<Array<string | number>> = [];
  if (Array.isArray(obj)) {
    obj.forEach((v, i) => out.push([...prefix, i], ...paths(v, [...prefix, i])));
  } else if (obj && typeof obj === 'object') {
    for (const [k, v] of Object.entries(obj)) out.push([...prefix, k], ...paths(v, [...prefix, k]));
  }
  return out;
}

function parentOf(obj: any, p: Array<string | number>): any {
  let cur = obj;
  for (const k of p.slice(0, -1)) cur = cur[k];
  return cur;
}

/** Applies data mutations; returns the YAML text (text mutations applied last). */
function mutate(base: any, ms: Mutation[]): string {
  const obj = JSON.parse(JSON.stringify(base));
  let aliases = false;
  const textOps: Mutation[] = [];
  for (const m of ms) {
    const all = paths(obj);
    if (all.length === 0) break;
    const p = all[m.at % all.length];
    const parent = parentOf(obj, p);
    const key = p[p.length - 1];
    if (m.op === 'drop') {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.op === 'rename') {
      if (!Array.isArray(parent)) {
        parent[`${key}${m.extra}`] = parent[key];
        delete parent[key];
      }
    } else if (m.op === 'retype') {
      parent[key] = JSON.parse(JSON.stringify(ODD_VALUES[m.value % ODD_VALUES.length]));
    } else if (m.op === 'anchor') {
      // the same node in two places: written as an anchor and an alias
      const value = parent[key];
      const q = all[m.value % all.length];
      const inside = q.join('.').startsWith(p.join('.')) || p.join('.').startsWith(q.join('.'));
      if (value && typeof value === 'object' && !inside) {
        parentOf(obj, q)[q[q.length - 1]] = value;
        aliases = true;
      }
    } else {
      textOps.push(m);
    }
  }
  let text = stringify(obj, { aliasDuplicateObjects: aliases });
  for (const m of textOps) {
    const lines = text.split('\n');
    const scalarLines = lines.map((l, i) => [l, i] as const).filter(([l]) => /: \S/.test(l) && !/: [&*]/.test(l));
    if (scalarLines.length === 0) continue;
    const [line, i] = scalarLines[m.at % scalarLines.length];
    if (m.op === 'unresolved') {
      lines[i] = line.replace(/: .*$/, ': *nowhere');
    } else {
      // an anchor on a collection whose own item aliases it
      lines[i] = line.replace(/: .*$/, ': &loop [1, *loop]');
    }
    text = lines.join('\n');
  }
  return text;
}

/** The field paths (or file positions) an error output names. */
function namedPaths(stderr: string): string[] {
  return stderr.split('\n')
    .map((l) => /^(?:error: |\s+- )(?:\d+ problems:)?(.*?): /.exec(l)?.[1])
    .filter((x): x is string => !!x && x.length > 0);
}

function presentIn(input: any, field: string): boolean {
  if (/^p\.yaml(:\d+:\d+)?$/.test(field) || field === '(root)' || field === '--config') return true;
  const quoted = /^\["((?:[^"\\]|\\.)*)"\]/.exec(field);
  const top = quoted ? JSON.parse(`"${quoted[1]}"`) : field.split(/[.[]/)[0];
  return input !== null && typeof input === 'object' && top in input;
}

test('mutated platform files: exit 0 with a valid output, or exit 1 naming the input and writing nothing; never 2', () => {
  const work = tmp('cozynet-property-');
  let n = 0;
  const seen = { ok: 0, refused: 0 };
  fc.assert(
    fc.property(fc.nat(BASES.length - 1), fc.array(mutation, { minLength: 1, maxLength: 3 }), (b, ms) => {
      const dir = path.join(work, String(n++));
      fs.mkdirSync(dir);
      const text = mutate(BASES[b], ms);
      fs.writeFileSync(path.join(dir, 'p.yaml'), text);
      const out = path.join(dir, 'out');
      const r = cli(['synth', '--config', path.join(dir, 'p.yaml'), '--out', out]);
      const context = `\n--- p.yaml ---\n${text}\n--- stderr ---\n${r.err}`;
      if (r.code === 2 || ![0, 1].includes(r.code)) throw new Error(`exit ${r.code}${context}`);
      if (r.code === 1) {
        seen.refused++;
        if (fs.readdirSync(dir).join() !== 'p.yaml') throw new Error(`wrote something on exit 1: ${fs.readdirSync(dir)}${context}`);
        if (/\n\s+at /.test(r.err)) throw new Error(`stack trace${context}`);
        let input: any;
        try {
          input = parse(text, { maxAliasCount: -1 });
        } catch {
          input = {};
        }
        const named = namedPaths(r.err);
        if (named.length === 0) throw new Error(`no field path in the message${context}`);
        const ok = named.some((f) => presentIn(input, f)) || /is required/.test(r.err);
        if (!ok) throw new Error(`the message names no path of the input (${named.join(', ')})${context}`);
      } else {
        seen.ok++;
        const v = validateFolder(out);
        if (v.problems.length > 0) throw new Error(`exit 0 but the output is invalid: ${v.problems.slice(0, 3).join('; ')}${context}`);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
  // both outcomes occur, so the property is not vacuous
  expect(seen.ok).toBeGreaterThan(0);
  expect(seen.refused).toBeGreaterThan(0);
}, 120000);
