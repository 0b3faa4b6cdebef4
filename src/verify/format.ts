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
  lines.push(`Tenant isolation: ${report.ok ? 'OK' : 'VIOLATED'} (${s.tenants} tenants, ${s.endpoints} endpoints, ` +
    `${s.identities} identities, ${s.policies} Cilium policies; ${s.checks} checks, ${s.allowed} allowed, ${s.differences} differences)`);

  if (report.matrix && report.destinations.length <= maxColumns) {
    lines.push('');
    lines.push('Reachability (rows: source, columns: destination):');
    lines.push('  ' + Object.entries(report.legend).filter(([k]) => k !== CELL.notApplicable).map(([k, v]) => `${k} ${v}`).join('   '));
    const numWidth = String(report.destinations.length).length;
    lines.push('');
    lines.push('Destinations:');
    const probesOf = new Map(report.endpoints.map((e) => [e.id, e.probes.join(' ')]));
    const idWidth = Math.max(...report.destinations.map((d) => d.length), ...report.sources.map((d) => d.length));
    report.destinations.forEach((d, i) => {
      lines.push(`  ${String(i + 1).padStart(numWidth)}  ${d.padEnd(idWidth)}  ${probesOf.get(d) ?? ''}`);
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
    if (rest > 0) lines.push(`  ... and ${rest} more difference(s)` + (s.differencesListed < s.differences ? ' (not all listed in the report)' : ' (see --format json)'));
  }

  if (report.warnings.length > 0) {
    lines.push('');
    lines.push('Warnings:');
    for (const w of report.warnings) lines.push(`  - ${w}`);
  }
  lines.push('');
  lines.push(report.ok
    ? `OK: the policies give exactly the intended reachability (${s.checks} checks).`
    : `VIOLATED: ${s.differences} of ${s.checks} checks differ from the intended reachability.`);
  return lines.join('\n') + '\n';
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
