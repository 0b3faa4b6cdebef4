import { TenantIsolationProps } from '../../../src/tenants';
import { formatVerifyReport, verifyTenantIsolation, VerifyReport } from '../../../src/verify';

// Lines of the `cozynet verify` output (text and json) not pinned by
// format-text.test.ts / format-options.test.ts. Reports are built inside each
// test (mutation testing: per-test coverage).

const PARENT_CHILD: TenantIsolationProps = { tenants: [{ name: 'root', sharedServices: [], children: [{ name: 'a' }] }] };

describe('formatVerifyReport json: legend', () => {
  test('the legend names every matrix symbol, the blank not-applicable cell included', () => {
    const json = formatVerifyReport(verifyTenantIsolation(PARENT_CHILD, undefined, { maxMatrixCells: 0, tenantAuthored: false }), 'json');
    const start = json.indexOf('  "legend": {');
    expect(json.slice(start, json.indexOf('  },', start) + 4).split('\n')).toEqual([
      '  "legend": {',
      '    " ": "not checked (neither end is a tenant endpoint, or the destination, such as ingress, is never connected to directly)",',
      '    "!": "differs from the intended reachability",',
      '    "?": "cannot be decided offline (rules the model cannot judge; see Undetermined)",',
      '    "·": "denied",',
      '    "◐": "allowed on some probed ports only (e.g. DNS: port 53 only; --explain SRC DST lists them)",',
      '    "✓": "allowed on every probed port"',
      '  },',
    ]);
  });
});

describe('formatVerifyReport text: grouped view of a hand-edited report', () => {
  test('a foreign id that looks like a tenant kind does not move the tenant columns: they follow the tenant destinations', () => {
    // `svc:etcd` is no endpoint of the report (hand-edited or foreign), listed before the tenant destinations.
    const report: VerifyReport = {
      ok: true,
      summary: {
        tenants: 1,
        endpoints: 2,
        identities: 2,
        policies: 0,
        checks: 5,
        allowed: 3,
        differences: 0,
        differencesListed: 0,
        matrixIncluded: true,
        undetermined: 0,
        openedByTenantPolicies: 0,
      },
      legend: { '✓': 'allowed', '·': 'denied' },
      endpoints: [
        { id: 'tenant-root/pod', role: 'tenant-pod', tenant: 'tenant-root', namespace: 'tenant-root', probes: ['TCP/8080'] },
        { id: 'tenant-root/svc:etcd', role: 'tenant-service', tenant: 'tenant-root', namespace: 'tenant-root', probes: ['TCP/8080'] },
      ],
      sources: ['tenant-root/pod', 'svc:etcd'],
      destinations: ['svc:etcd', 'tenant-root/pod', 'tenant-root/svc:etcd'],
      matrix: ['·✓◐', ' ·✓'],
      differences: [],
      undetermined: [],
      uncertainRules: [],
      tenantAuthored: { checked: false, ok: true, policy: 'p', opened: [] },
      warnings: [],
    };
    expect(formatVerifyReport(report, 'text', { maxColumns: 2 })).toBe([
      'Tenant isolation: OK (1 tenant, 2 endpoints, 2 identities, 0 policies; 5 checks, 3 allowed, 0 differences from the intended reachability)',
      '',
      'Reachability, grouped (2 x 3 cells; rows: kind of source, columns: kind of destination and how its tenant relates to the source\'s):',
      '  ✓ allowed   · denied   (a group whose cells differ shows ◐)',
      '',
      'Destinations:',
      '  1  same tenant: pod',
      '  2  same tenant: svc:etcd',
      '  3  a descendant: pod',
      '  4  a descendant: svc:etcd',
      '  5  an ancestor: pod',
      '  6  an ancestor: svc:etcd',
      '  7  an unrelated tenant: pod',
      '  8  an unrelated tenant: svc:etcd',
      '  9  svc:etcd',
      '',
      '             1 2 3 4 5 6 7 8 9',
      '  tenant pod ✓ ◐             ·',
      '  svc:etcd   · ✓ · ✓ · ✓ · ✓  ',
      '',
      'OK: the policies give exactly the intended reachability (5 checks).',
      '',
    ].join('\n'));
  });
});
