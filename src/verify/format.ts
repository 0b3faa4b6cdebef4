import { VerifyDifference, VerifyReport } from './report';
import { CELL } from './symbols';
import { sortKeysDeep } from '../tenants/policies';

/** Options of `formatVerifyReport`. */
export interface FormatVerifyOptions {
  /**
   * Print the matrix only while it has at most this many destinations;
   * above, print the summary and the differences only.
   * @default 80
   */
  readonly maxColumns?: number;
  /**
   * Print at most this many groups of differences in text format.
   * @default 50
   */
  readonly maxDifferences?: number;
}

/**
 * Renders a report: `text` (matrix for small trees, otherwise summary and
 * differences) or `json` (the whole report, keys sorted, 2-space indent).
 * @jsii ignore
 */
export function formatVerifyReport(report: VerifyReport, format: 'text' | 'json' = 'text', options: FormatVerifyOptions = {}): string {
  if (format === 'json') return JSON.stringify(sortKeysDeep(report), null, 2) + '\n';
  if (format !== 'text') throw new Error(`unknown format ${JSON.stringify(format)}; use "text" or "json"`);
  const maxColumns = options.maxColumns ?? 80;
  const maxGroups = options.maxDifferences ?? 50;
  const s = report.summary;
  const lines: string[] = [];
  const ta0 = report.tenantAuthored;
  // VIOLATED with no difference: say what violates it instead.
  const because = report.ok || s.differences > 0 ? ''
    : !ta0.ok ? `; but a tenant alone can open ${count(s.openedByTenantPolicies, 'cell')} to or from another tenant`
      : '; but cells between tenants cannot be decided offline';
  lines.push(`Tenant isolation: ${report.ok ? 'OK' : 'VIOLATED'} (${count(s.tenants, 'tenant')}, ${count(s.endpoints, 'endpoint')}, ` +
    `${count(s.identities, 'identity', 'identities')}, ${count(s.policies, 'policy', 'policies')}; ${count(s.checks, 'check')}, ${s.allowed} allowed, ` +
    `${count(s.differences, 'difference')} from the intended reachability` +
    (s.undetermined > 0 ? `, ${s.undetermined} undetermined` : '') + because + ')');
  const ta = report.tenantAuthored;
  if (ta.checked) {
    lines.push(ta.ok
      ? `Tenant-authored policies: OK (the widest policy ${s.tenants === 1 ? 'the tenant' : `each of the ${s.tenants} tenants`} can write in its own namespace opens no path to or from another tenant)`
      : `Tenant-authored policies: BREACHED (a tenant alone can open ${count(s.openedByTenantPolicies, 'cell')} to or from another tenant with a policy in its own namespace)`);
  }

  if (report.matrix && report.destinations.length > maxColumns && report.sources.length <= 20_000) {
    lines.push('');
    lines.push(...relationView(report));
  } else if (report.matrix && report.destinations.length <= maxColumns) {
    lines.push('');
    lines.push('Reachability (rows: source, columns: destination):');
    lines.push('  ' + legendText(report.legend));
    const numWidth = String(report.destinations.length).length;
    lines.push('');
    const probesOf = new Map(report.endpoints.map((e) => [e.id, e.probes.join(' ')]));
    // Every destination is probed alike (the classes of ports the policies distinguish): list them once.
    const lists = new Set([...probesOf.values()].filter((x) => x !== ''));
    if (lists.size === 1) {
      const one = [...lists][0];
      lines.push(`Probes (every destination, one per class of protocol and port that the policies and the intention distinguish; ${count(one.split(' ').length, 'probe')}):`);
      lines.push(`  ${one}`);
      lines.push('');
      for (const [k, v] of probesOf) probesOf.set(k, v === '' ? '(not a destination)' : '');
    }
    lines.push('Destinations:');
    const idWidth = Math.max(...report.destinations.map((d) => d.length), ...report.sources.map((d) => d.length));
    report.destinations.forEach((d, i) => {
      lines.push(`  ${String(i + 1).padStart(numWidth)}  ${d.padEnd(idWidth)}  ${probesOf.get(d) ?? ''}`.trimEnd());
    });
    lines.push('');
    const cellWidth = numWidth + 1;
    lines.push(' '.repeat(idWidth + 2) + report.destinations.map((_, i) => String(i + 1).padStart(cellWidth)).join(''));
    report.sources.forEach((src, r) => {
      const cells = [...report.matrix![r]].map((c) => c.padStart(cellWidth)).join('');
      lines.push(`  ${src.padEnd(idWidth)}${cells}`);
    });
  } else if (!report.matrix) {
    lines.push('');
    lines.push(`(matrix of ${report.sources.length} x ${report.destinations.length} cells not included; differences and summary are complete)`);
  } else {
    lines.push('');
    lines.push(`(matrix of ${report.sources.length} x ${report.destinations.length} cells not printed; use --format json for it)`);
  }

  if (report.differences.length > 0) {
    lines.push('');
    lines.push('Differences (intended vs actual):');
    const groups = groupDifferences(report.differences);
    for (const g of groups.slice(0, maxGroups)) {
      const d = g[0];
      lines.push(`  ${CELL.difference} ${d.source} -> ${d.destination} ${g.map((x) => x.probe).join(', ')}: ` +
        `intended ${d.intended ? 'allowed' : 'denied'}, actual ${d.actual ? 'allowed' : 'denied'}`);
      lines.push(`      intended because: ${d.expectation}`);
      lines.push(`      actual because:   ${d.explanation}`);
    }
    const shownDiffs = groups.slice(0, maxGroups).reduce((n, g) => n + g.length, 0);
    const rest = s.differences - shownDiffs;
    if (rest > 0) lines.push(`  ... and ${rest} more ${rest === 1 ? 'difference' : 'differences'}` + (s.differencesListed < s.differences ? ' (not all listed in the report)' : ' (see --format json)'));
  }

  if (!ta.ok && ta.opened.length > 0) {
    lines.push('');
    lines.push('Opened by a tenant-authored policy (the receiving or sending side must refuse on its own):');
    const groups = groupDifferences(ta.opened);
    for (const g of groups.slice(0, maxGroups)) {
      const d = g[0];
      lines.push(`  ${CELL.difference} ${d.source} -> ${d.destination} ${g.map((x) => x.probe).join(', ')}: ${d.expectation}`);
      lines.push(`      because: ${d.explanation}`);
    }
    const shown = groups.slice(0, maxGroups).reduce((n, g) => n + g.length, 0);
    if (ta.opened.length > shown) lines.push(`  ... and ${ta.opened.length - shown} more (see --format json)`);
  }

  if (report.undetermined.length > 0) {
    lines.push('');
    lines.push('Undetermined (rules the model cannot judge; never counted as allowed or denied):');
    const groups = groupDifferences(report.undetermined);
    for (const g of groups.slice(0, maxGroups)) {
      const d = g[0];
      lines.push(`  ${CELL.undetermined} ${d.source} -> ${d.destination} ${g.map((x) => x.probe).join(', ')}: intended ${d.intended ? 'allowed' : 'denied'}`);
      lines.push(`      ${d.explanation}`);
    }
    const shown = groups.slice(0, maxGroups).reduce((n, g) => n + g.length, 0);
    if (s.undetermined > shown) lines.push(`  ... and ${s.undetermined - shown} more undetermined cell(s) (see --format json)`);
  }
  if (report.uncertainRules.length > 0) {
    lines.push('');
    lines.push('Rules the model cannot judge:');
    for (const r of report.uncertainRules) lines.push(`  - ${r}`);
  }

  if (report.warnings.length > 0) {
    lines.push('');
    lines.push('Warnings:');
    for (const w of report.warnings) lines.push(`  - ${w}`);
  }
  lines.push('');
  if (report.ok) {
    // Undetermined cells inside one tenant's subtree do not fail the check, but the line must not claim them.
    lines.push((s.undetermined > 0
      ? `OK: the policies give the intended reachability on every decided cell (${count(s.checks, 'check')}; ${count(s.undetermined, 'cell')} inside single tenant subtrees cannot be decided offline, see Undetermined)`
      : `OK: the policies give exactly the intended reachability (${count(s.checks, 'check')})`) +
      (ta.checked ? ', and no tenant can open another with policies of its own.' : '.'));
  } else {
    const why: string[] = [];
    if (s.differences > 0) why.push(`${s.differences} of ${count(s.checks, 'check')} ${s.differences === 1 ? 'differs' : 'differ'} from the intended reachability`);
    if (!ta.ok) why.push(`a tenant alone can open ${count(s.openedByTenantPolicies, 'cell')} to or from another tenant`);
    if (why.length === 0) why.push('cells between tenants cannot be decided offline (see Undetermined)');
    lines.push(`VIOLATED: ${why.join('; ')}.`);
  }
  return lines.join('\n') + '\n';
}

/** `1 check`, `2 checks`. */
function count(n: number, one: string, many: string = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The legend on one line; the blank cell as `(blank)`. */
function legendText(legend: { [symbol: string]: string }): string {
  return Object.entries(legend).map(([k, v]) => `${k === CELL.notApplicable ? '(blank)' : k} ${v}`).join('   ');
}

/** Groups consecutive differences that differ only in the probe. */
function groupDifferences(diffs: VerifyDifference[]): VerifyDifference[][] {
  const groups: VerifyDifference[][] = [];
  for (const d of diffs) {
    const last = groups[groups.length - 1];
    const head = last?.[0];
    if (head && head.source === d.source && head.destination === d.destination && head.intended === d.intended &&
      head.actual === d.actual && head.explanation === d.explanation && head.expectation === d.expectation) {
      last.push(d);
    } else {
      groups.push([d]);
    }
  }
  return groups;
}

/** Relation of destination tenant `y` to source tenant `x` (namespaces: the dash is the hierarchy separator). */
function relation(x: string, y: string): string {
  if (x === y) return 'same';
  const under = (a: string, b: string) => a === 'tenant-root' || b.startsWith(a + '-');
  if (under(x, y)) return 'desc';
  if (under(y, x)) return 'anc';
  return 'other';
}

const RELATIONS: Array<[string, string]> = [['same', 'same tenant'], ['desc', 'a descendant'], ['anc', 'an ancestor'], ['other', 'an unrelated tenant']];

/**
 * The matrix with identical rows and columns grouped: tenant endpoints by
 * their kind (pod, svc:ingress, ...) and, for columns, by the relation of
 * the destination tenant to the source tenant. A cell shows the common
 * verdict of its group (◐ when the group's cells differ, ! when any differs
 * from the intention).
 */
function relationView(report: VerifyReport): string[] {
  const ep = new Map(report.endpoints.map((e) => [e.id, e]));
  // Stryker disable next-line OptionalChaining: every caller passes only ids of tenant endpoints (filtered by ep.get(...)?.tenant first), so ep.get(id) is defined
  const kindOf = (id: string) => (ep.get(id)?.tenant ? id.slice(id.indexOf('/') + 1) : id);
  const tenantKinds = [...new Set(report.destinations.filter((d) => ep.get(d)?.tenant).map(kindOf))];
  // Stryker disable next-line MethodExpression: a tenant destination as an extra `|id` column never receives a cell (its cells go to relation columns) and empty columns are dropped below
  const others = report.destinations.filter((d) => !ep.get(d)?.tenant);
  // Stryker disable next-line ArrayDeclaration: an extra leading element never receives a cell (no key matches it), so it is dropped with the empty columns
  const columns: Array<{ key: string; label: string }> = [];
  for (const [rel, text] of RELATIONS) for (const k of tenantKinds) columns.push({ key: `${rel}|${k}`, label: `${text}: ${k}` });
  for (const o of others) columns.push({ key: `|${o}`, label: o });
  const colIndex = new Map(columns.map((c, i) => [c.key, i]));
  const rowKeys: string[] = [];
  const rowIndex = new Map<string, number>();
  const cells: Array<Array<Set<string>>> = [];
  report.sources.forEach((src, r) => {
    const se = ep.get(src);
    const rk = se?.tenant ? `tenant ${kindOf(src)}` : src;
    let ri = rowIndex.get(rk);
    if (ri === undefined) {
      ri = rowKeys.length;
      rowIndex.set(rk, ri);
      rowKeys.push(rk);
      cells.push(columns.map(() => new Set<string>()));
    }
    const row = [...report.matrix![r]];
    report.destinations.forEach((dst, d) => {
      const de = ep.get(dst);
      const c = row[d];
      if (c === CELL.notApplicable) return;
      if (de?.tenant) {
        const rels = se?.tenant ? [relation(se.tenant, de.tenant)] : RELATIONS.map(([x]) => x);
        for (const rel of rels) cells[ri!][colIndex.get(`${rel}|${kindOf(dst)}`)!].add(c);
      } else {
        cells[ri!][colIndex.get(`|${dst}`)!].add(c);
      }
    });
  });
  // Drop columns empty in every row.
  const keep = columns.map((_, c) => cells.some((row) => row[c].size > 0));
  const shown = columns.filter((_, c) => keep[c]);
  const lines: string[] = [];
  lines.push(`Reachability, grouped (${report.sources.length} x ${report.destinations.length} cells; rows: kind of source, columns: kind of destination and how its tenant relates to the source's):`);
  lines.push('  ' + legendText(report.legend) + '   (a group whose cells differ shows ◐)');
  lines.push('');
  lines.push('Destinations:');
  const w = String(shown.length).length;
  shown.forEach((c, i) => lines.push(`  ${String(i + 1).padStart(w)}  ${c.label}`));
  lines.push('');
  const idWidth = Math.max(...rowKeys.map((k) => k.length));
  lines.push(' '.repeat(idWidth + 2) + shown.map((_, i) => String(i + 1).padStart(w + 1)).join(''));
  rowKeys.forEach((k, r) => {
    // A dropped (empty) column renders as '' (join treats undefined so).
    const text = columns.map((_, c) => {
      if (!keep[c]) return undefined;
      const set = cells[r][c];
      const sym = set.size === 0 ? CELL.notApplicable : set.has(CELL.difference) ? CELL.difference : set.has(CELL.undetermined) ? CELL.undetermined
        : set.size === 1 ? [...set][0] : CELL.partial;
      return sym.padStart(w + 1);
    }).join('');
    lines.push(`  ${k.padEnd(idWidth)}${text}`);
  });
  return lines;
}
