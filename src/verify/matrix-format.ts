/**
 * Renders the analyzer's reachability (`cozynet verify --matrix`) and the
 * connectivity diff of `--matrix --against`: text (one line per connection,
 * `SRC => DST : PORTS`, as policy analyzers print it), JSON, CSV, a Mermaid
 * flowchart or a Graphviz DOT graph.
 * @internal
 */
import { AnalyzerMatrix, className, MatrixConnection, PortClass } from './matrix';
import { sortKeysDeep } from '../tenants/policies';

/** Output formats of `--matrix`. */
export const MATRIX_FORMATS = ['text', 'json', 'csv', 'mermaid', 'dot'] as const;
export type MatrixFormat = typeof MATRIX_FORMATS[number];

/** `All Connections`, or the allowed classes by protocol with adjacent ranges merged: `TCP 80,8000-9000;UDP 53;ICMP type-8`. */
export function portsText(classes: PortClass[], allowed: number[]): string {
  if (allowed.length === 0) return 'none';
  if (allowed.length === classes.length) return 'All Connections';
  const isOn = new Set(allowed);
  const parts: string[] = [];
  for (const protocol of ['TCP', 'UDP', 'SCTP', 'ICMP']) {
    const mine = classes.map((c, i) => ({ c, i })).filter((x) => x.c.protocol === protocol);
    const on = mine.filter((x) => isOn.has(x.i));
    if (on.length === 0) continue;
    if (on.length === mine.length) {
      parts.push(protocol === 'ICMP' ? 'ICMP' : `${protocol} 1-65535`);
      continue;
    }
    if (protocol === 'ICMP') {
      parts.push(`ICMP ${on.map((x) => (x.c.from === -1 ? 'other' : `type-${x.c.from}`)).join(',')}`);
      continue;
    }
    const merged: Array<[number, number]> = [];
    for (const { c } of on) {
      const last = merged[merged.length - 1];
      if (last && last[1] + 1 === c.from) last[1] = c.to;
      else merged.push([c.from, c.to]);
    }
    parts.push(`${protocol} ${merged.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`);
  }
  return parts.join(';');
}

/** `portsText`, memoized per matrix (most pairs share a few port sets). */
const textCache = new WeakMap<AnalyzerMatrix, Map<string, string>>();
function cachedPorts(m: AnalyzerMatrix, list: number[]): string {
  let cache = textCache.get(m);
  if (!cache) textCache.set(m, (cache = new Map()));
  const key = list.join(',');
  let text = cache.get(key);
  if (text === undefined) cache.set(key, (text = portsText(m.classes, list)));
  return text;
}

function connectionText(m: AnalyzerMatrix, c: MatrixConnection): string {
  const allowed = c.allowed.length > 0 ? cachedPorts(m, c.allowed) : 'none for sure';
  return c.undetermined.length > 0 ? `${allowed} (undetermined: ${cachedPorts(m, c.undetermined)})` : allowed;
}

function csvField(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function plural(n: number, word: string, many: string = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** The analyzer's reachability in one of `MATRIX_FORMATS`. */
export function formatAnalyzerMatrix(m: AnalyzerMatrix, format: MatrixFormat): string {
  const ports = (c: MatrixConnection) => connectionText(m, c);
  switch (format) {
    case 'json':
      return JSON.stringify(sortKeysDeep({
        summary: {
          endpoints: m.endpoints.length,
          portClasses: m.classes.length,
          policies: m.policies,
          connections: m.connections.length,
          undetermined: m.connections.filter((c) => c.undetermined.length > 0).length,
        },
        endpoints: m.endpoints,
        portClasses: m.classes.map(className),
        connections: m.connections.map((c) => ({
          source: c.source,
          destination: c.destination,
          ports: c.allowed.length > 0 ? cachedPorts(m, c.allowed) : '',
          allowed: c.allowed.map((i) => className(m.classes[i])),
          undetermined: c.undetermined.map((i) => className(m.classes[i])),
        })),
        uncertainRules: m.uncertainRules,
        warnings: m.warnings,
      }), null, 2) + '\n';
    case 'csv':
      return ['src,dst,conn,undetermined', ...m.connections.map((c) =>
        [c.source, c.destination, c.allowed.length > 0 ? cachedPorts(m, c.allowed) : '', c.undetermined.length > 0 ? cachedPorts(m, c.undetermined) : ''].map(csvField).join(','))].join('\n') + '\n';
    case 'dot': {
      const lines = ['digraph reachability {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];'];
      const byNs = new Map<string, string[]>();
      for (const e of m.endpoints) {
        if (e.namespace === undefined) continue;
        if (!byNs.has(e.namespace)) byNs.set(e.namespace, []);
        byNs.get(e.namespace)!.push(e.id);
      }
      let k = 0;
      for (const [ns, ids] of byNs) {
        lines.push(`  subgraph cluster_${k++} {`, `    label=${quote(ns)};`);
        for (const id of ids) lines.push(`    ${quote(id)};`);
        lines.push('  }');
      }
      for (const e of m.endpoints) if (e.entity) lines.push(`  ${quote(e.id)} [shape=ellipse];`);
      for (const c of m.connections) {
        lines.push(`  ${quote(c.source)} -> ${quote(c.destination)} [label=${quote(ports(c))}${c.allowed.length === 0 ? ', style=dashed' : ''}];`);
      }
      lines.push('}');
      return lines.join('\n') + '\n';
    }
    case 'mermaid': {
      const node = new Map(m.endpoints.map((e, i) => [e.id, `n${i}`]));
      const label = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
      const lines = ['flowchart LR'];
      const byNs = new Map<string, string[]>();
      for (const e of m.endpoints) {
        if (e.namespace === undefined) {
          lines.push(`  ${node.get(e.id)}([${label(e.id)}])`);
          continue;
        }
        if (!byNs.has(e.namespace)) byNs.set(e.namespace, []);
        byNs.get(e.namespace)!.push(e.id);
      }
      let k = 0;
      for (const [ns, ids] of byNs) {
        lines.push(`  subgraph ns${k++}[${label(ns)}]`);
        for (const id of ids) lines.push(`    ${node.get(id)}[${label(id)}]`);
        lines.push('  end');
      }
      for (const c of m.connections) {
        lines.push(`  ${node.get(c.source)} ${c.allowed.length === 0 ? '-.->' : '-->'}|${label(ports(c))}| ${node.get(c.destination)}`);
      }
      return lines.join('\n') + '\n';
    }
    default: {
      const undetermined = m.connections.filter((c) => c.undetermined.length > 0).length;
      const lines = [`Reachability: ${plural(m.endpoints.length, 'endpoint')}, ${plural(m.classes.length, 'port class', 'port classes')}, ` +
        `${plural(m.policies, 'policy', 'policies')}; ${plural(m.connections.length, 'connection')}` +
        (undetermined > 0 ? `, ${undetermined} with ports that cannot be decided offline` : '') + ' (pairs with nothing allowed are not listed)', ''];
      for (const c of m.connections) lines.push(`${c.source} => ${c.destination} : ${ports(c)}`);
      if (m.uncertainRules.length > 0) {
        lines.push('', 'Rules the model cannot judge offline:');
        for (const r of m.uncertainRules) lines.push(`  ${r}`);
      }
      if (m.warnings.length > 0) {
        lines.push('', 'Warnings:');
        for (const w of m.warnings) lines.push(`  ${w}`);
      }
      return lines.join('\n') + '\n';
    }
  }
}

/** One pair whose connections differ between two matrices on the same endpoints and classes. */
export interface ConnectivityChange {
  readonly diff: 'added' | 'removed' | 'changed';
  readonly source: string;
  readonly destination: string;
  /** Ports before (`none` when nothing was allowed). */
  readonly before: string;
  /** Ports now. */
  readonly now: string;
  /** Port classes opened (allowed now, not before; undetermined counts as allowed). */
  readonly opened: string[];
  /** Port classes closed. */
  readonly closed: string[];
}

/** The connectivity diff of two matrices on the same endpoints and port classes (undetermined classes count at the permissive end). */
export function connectivityDiff(now: AnalyzerMatrix, then: AnalyzerMatrix): ConnectivityChange[] {
  const key = (c: MatrixConnection) => `${c.source}\u0000${c.destination}`;
  const before = new Map(then.connections.map((c) => [key(c), c]));
  const after = new Map(now.connections.map((c) => [key(c), c]));
  const order = new Map(now.endpoints.map((e, i) => [e.id, i]));
  const pairs = [...new Set([...before.keys(), ...after.keys()])].map((k) => k.split('\u0000') as [string, string])
    .sort((a, b) => order.get(a[0])! - order.get(b[0])! || order.get(a[1])! - order.get(b[1])!);
  const out: ConnectivityChange[] = [];
  const upperOf = (c: MatrixConnection | undefined) => (c ? [...c.allowed, ...c.undetermined].sort((a, b) => a - b) : []);
  const text = (m: AnalyzerMatrix, c: MatrixConnection | undefined) => (c ? connectionText(m, c) : 'none');
  for (const [s, d] of pairs) {
    const b = before.get(`${s}\u0000${d}`);
    const a = after.get(`${s}\u0000${d}`);
    const ub = upperOf(b);
    const ua = upperOf(a);
    const opened = ua.filter((p) => !ub.includes(p));
    const closed = ub.filter((p) => !ua.includes(p));
    if (opened.length === 0 && closed.length === 0 && text(now, a) === text(then, b)) continue;
    out.push({
      diff: !b ? 'added' : !a ? 'removed' : 'changed',
      source: s,
      destination: d,
      before: text(then, b),
      now: text(now, a),
      opened: opened.map((p) => className(now.classes[p])),
      closed: closed.map((p) => className(now.classes[p])),
    });
  }
  return out;
}

/** The connectivity diff in text, JSON or CSV (Mermaid and DOT draw the added and changed pairs). */
export function formatConnectivityDiff(changes: ConnectivityChange[], against: string, format: MatrixFormat): string {
  const opened = changes.filter((c) => c.opened.length > 0).length;
  const closed = changes.filter((c) => c.closed.length > 0).length;
  switch (format) {
    case 'json':
      return JSON.stringify(sortKeysDeep({ against, ok: opened === 0, summary: { changed: changes.length, opened, closed }, changes }), null, 2) + '\n';
    case 'csv':
      return ['diff-type,src,dst,before,now', ...changes.map((c) => [c.diff, c.source, c.destination, c.before, c.now].map(csvField).join(','))].join('\n') + '\n';
    case 'dot':
      return ['digraph connectivity_diff {', '  rankdir=LR;', '  node [shape=box, fontname="monospace"];',
        ...changes.map((c) => `  ${quote(c.source)} -> ${quote(c.destination)} [label=${quote(`${c.before} -> ${c.now}`)}, color=${c.diff === 'removed' ? 'red' : c.diff === 'added' ? 'green' : 'orange'}${c.diff === 'removed' ? ', style=dashed' : ''}];`),
        '}'].join('\n') + '\n';
    case 'mermaid': {
      const ids = new Map<string, string>();
      const id = (s: string) => {
        if (!ids.has(s)) ids.set(s, `n${ids.size}`);
        return ids.get(s)!;
      };
      const label = (s: string) => `"${s.replace(/"/g, '#quot;')}"`;
      const edges = changes.map((c) => `  ${id(c.source)}[${label(c.source)}] ${c.diff === 'removed' ? '-.->' : '-->'}|${label(`${c.diff}: ${c.before} -> ${c.now}`)}| ${id(c.destination)}[${label(c.destination)}]`);
      return ['flowchart LR', ...edges].join('\n') + '\n';
    }
    default: {
      const lines = [`Connectivity diff against ${against}: ${plural(changes.length, 'pair')} changed; ${opened} with ports opened, ${closed} with ports closed.`];
      if (changes.length > 0) lines.push('');
      for (const c of changes) lines.push(`${c.diff === 'added' ? '+' : c.diff === 'removed' ? '-' : '~'} ${c.source} => ${c.destination} : ${c.before} -> ${c.now}`);
      lines.push('', opened === 0 ? 'OK: the change opens no connection.' : `OPENED: the change opens ports on ${plural(opened, 'pair')} (no tenant tree: every opened connection counts).`);
      return lines.join('\n') + '\n';
    }
  }
}
