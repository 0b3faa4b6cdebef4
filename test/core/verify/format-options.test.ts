import { TenantIsolationProps } from '../../../src/tenants';
import { formatVerifyReport, verifyTenantIsolation, VerifyReport } from '../../../src/verify';

const PARENT_CHILD: TenantIsolationProps = { tenants: [{ name: 'root', sharedServices: [], children: [{ name: 'a' }] }] };

/** A hand-made report, small enough to write its whole JSON out. */
function tinyReport(): VerifyReport {
  return {
    ok: false,
    summary: {
      tenants: 1,
      endpoints: 2,
      identities: 2,
      policies: 0,
      checks: 3,
      allowed: 3,
      differences: 1,
      differencesListed: 1,
      matrixIncluded: true,
      undetermined: 0,
      openedByTenantPolicies: 0,
    },
    legend: { '✓': 'allowed', '·': 'denied' },
    endpoints: [
      { id: 'tenant-root/pod', role: 'tenant-pod', tenant: 'tenant-root', namespace: 'tenant-root', labels: { z: '1', a: '2' }, probes: ['TCP/8080'] },
      { id: 'world', role: 'entity', entity: 'world', probes: ['TCP/443'] },
    ],
    sources: ['tenant-root/pod', 'world'],
    destinations: ['tenant-root/pod', 'world'],
    matrix: ['✓✓', '! '],
    differences: [{ source: 'world', destination: 'tenant-root/pod', probe: 'TCP/8080', intended: false, actual: true, expectation: 'e', explanation: 'x' }],
    undetermined: [],
    uncertainRules: [],
    tenantAuthored: { checked: false, ok: true, policy: 'p', opened: [] },
    warnings: ['w'],
  };
}

/** Whether every object in `v` has its keys in sorted order. */
function keysSorted(v: unknown): boolean {
  if (Array.isArray(v)) return v.every(keysSorted);
  if (v === null || typeof v !== 'object') return true;
  const keys = Object.keys(v);
  return keys.join('\n') === [...keys].sort().join('\n') && Object.values(v).every(keysSorted);
}

describe('formatVerifyReport json', () => {
  test('the whole report, keys sorted at every level, 2-space indent, one trailing newline', () => {
    expect(formatVerifyReport(tinyReport(), 'json')).toBe([
      '{',
      '  "destinations": [',
      '    "tenant-root/pod",',
      '    "world"',
      '  ],',
      '  "differences": [',
      '    {',
      '      "actual": true,',
      '      "destination": "tenant-root/pod",',
      '      "expectation": "e",',
      '      "explanation": "x",',
      '      "intended": false,',
      '      "probe": "TCP/8080",',
      '      "source": "world"',
      '    }',
      '  ],',
      '  "endpoints": [',
      '    {',
      '      "id": "tenant-root/pod",',
      '      "labels": {',
      '        "a": "2",',
      '        "z": "1"',
      '      },',
      '      "namespace": "tenant-root",',
      '      "probes": [',
      '        "TCP/8080"',
      '      ],',
      '      "role": "tenant-pod",',
      '      "tenant": "tenant-root"',
      '    },',
      '    {',
      '      "entity": "world",',
      '      "id": "world",',
      '      "probes": [',
      '        "TCP/443"',
      '      ],',
      '      "role": "entity"',
      '    }',
      '  ],',
      '  "legend": {',
      '    "·": "denied",',
      '    "✓": "allowed"',
      '  },',
      '  "matrix": [',
      '    "✓✓",',
      '    "! "',
      '  ],',
      '  "ok": false,',
      '  "sources": [',
      '    "tenant-root/pod",',
      '    "world"',
      '  ],',
      '  "summary": {',
      '    "allowed": 3,',
      '    "checks": 3,',
      '    "differences": 1,',
      '    "differencesListed": 1,',
      '    "endpoints": 2,',
      '    "identities": 2,',
      '    "matrixIncluded": true,',
      '    "openedByTenantPolicies": 0,',
      '    "policies": 0,',
      '    "tenants": 1,',
      '    "undetermined": 0',
      '  },',
      '  "tenantAuthored": {',
      '    "checked": false,',
      '    "ok": true,',
      '    "opened": [],',
      '    "policy": "p"',
      '  },',
      '  "uncertainRules": [],',
      '  "undetermined": [],',
      '  "warnings": [',
      '    "w"',
      '  ]',
      '}',
      '',
    ].join('\n'));
  });

  test('a real report: the JSON holds the same data as the report, every object with sorted keys', () => {
    const report = verifyTenantIsolation(PARENT_CHILD);
    const json = formatVerifyReport(report, 'json');
    expect(JSON.parse(json)).toEqual(report);
    expect(keysSorted(JSON.parse(json))).toBe(true);
    expect(json.startsWith('{\n  "destinations": [\n    "tenant-root/pod",\n')).toBe(true);
    expect(json.endsWith('\n  "warnings": []\n}\n')).toBe(true);
  });

  test('an unknown format is an error naming the allowed ones', () => {
    expect(() => formatVerifyReport(tinyReport(), 'yaml' as any)).toThrow(new Error('unknown format "yaml"; use "text" or "json"'));
  });

  test('text is the default format', () => {
    const report = tinyReport();
    expect(formatVerifyReport(report)).toBe(formatVerifyReport(report, 'text'));
    expect(formatVerifyReport(report)).toMatch(/^Tenant isolation: VIOLATED \(1 tenant, 2 endpoints, 2 identities, 0 policies; 3 checks, 3 allowed, 1 difference from the intended reachability\)\n\n/);
  });
});

describe('formatVerifyReport text: which matrix view', () => {
  test('a hand-made report: the flat matrix, a difference, a warning (no tenant-authored check)', () => {
    expect(formatVerifyReport(tinyReport(), 'text')).toBe([
      'Tenant isolation: VIOLATED (1 tenant, 2 endpoints, 2 identities, 0 policies; 3 checks, 3 allowed, 1 difference from the intended reachability)',
      '',
      'Reachability (rows: source, columns: destination):',
      '  ✓ allowed   · denied',
      '',
      'Destinations:',
      '  1  tenant-root/pod  TCP/8080',
      '  2  world            TCP/443',
      '',
      '                  1 2',
      '  tenant-root/pod ✓ ✓',
      '  world           !  ',
      '',
      'Differences (intended vs actual):',
      '  ! world -> tenant-root/pod TCP/8080: intended denied, actual allowed',
      '      intended because: e',
      '      actual because:   x',
      '',
      'Warnings:',
      '  - w',
      '',
      'VIOLATED: 1 of 3 checks differs from the intended reachability.',
      '',
    ].join('\n'));
  });

  test('the legend leaves out the not-applicable symbol', () => {
    const report = { ...tinyReport(), legend: { '✓': 'allowed', ' ': 'not applicable', '·': 'denied' } };
    expect(formatVerifyReport(report, 'text').split('\n')[3]).toBe('  ✓ allowed   (blank) not applicable   · denied');
  });

  test('maxColumns defaults to 80: 80 destinations print the flat matrix, 81 the grouped one', () => {
    const widen = (columns: number): VerifyReport => {
      const r = verifyTenantIsolation(PARENT_CHILD);
      const extra = Array.from({ length: columns - r.destinations.length }, (_, i) => `x${i}`);
      return { ...r, destinations: [...r.destinations, ...extra], matrix: r.matrix!.map((row) => row + ' '.repeat(extra.length)) };
    };
    expect(formatVerifyReport(widen(80), 'text').split('\n')[3]).toBe('Reachability (rows: source, columns: destination):');
    expect(formatVerifyReport(widen(81), 'text').split('\n')[3]).toBe('Reachability, grouped (24 x 81 cells; rows: kind of source, columns: kind of destination and how its tenant relates to the source\'s):');
    expect(formatVerifyReport(widen(81), 'text', { maxColumns: 81 }).split('\n')[3]).toBe('Reachability (rows: source, columns: destination):');
  });

  test('the grouped view is for at most 20,000 sources; above, the matrix is not printed', () => {
    const tall = (rows: number): VerifyReport => {
      const r = verifyTenantIsolation(PARENT_CHILD);
      const n = r.sources.length;
      const repeat = <T>(xs: T[]) => Array.from({ length: rows }, (_, i) => xs[i % n]);
      return { ...r, sources: repeat(r.sources), matrix: repeat(r.matrix!) };
    };
    const atLimit = formatVerifyReport(tall(20_000), 'text', { maxColumns: 17 }).split('\n');
    expect(atLimit[3]).toBe('Reachability, grouped (20000 x 24 cells; rows: kind of source, columns: kind of destination and how its tenant relates to the source\'s):');
    // the same rows grouped: as many group rows as for the report itself
    expect(atLimit.length).toBe(formatVerifyReport(verifyTenantIsolation(PARENT_CHILD), 'text', { maxColumns: 17 }).split('\n').length);
    expect(formatVerifyReport(tall(20_001), 'text', { maxColumns: 17 })).toBe([
      'Tenant isolation: OK (2 tenants, 24 endpoints, 24 identities, 5 policies; 3472 checks, 2160 allowed, 0 differences from the intended reachability)',
      'Tenant-authored policies: OK (the widest policy each of the 2 tenants can write in its own namespace opens no path to or from another tenant)',
      '',
      '(matrix of 20001 x 24 cells not printed; use --format json for it)',
      '',
      'OK: the policies give exactly the intended reachability (3472 checks), and no tenant can open another with policies of its own.',
      '',
    ].join('\n'));
    // a report within maxColumns prints the flat matrix whatever the number of sources
    expect(formatVerifyReport(tall(20_001), 'text').split('\n')[3]).toBe('Reachability (rows: source, columns: destination):');
  });
});

describe('formatVerifyReport text: grouping and robustness', () => {
  test('differences are grouped only while source, destination, verdicts and reasons all stay the same', () => {
    const d = (source: string, destination: string, port: number, intended: boolean, actual: boolean, expectation: string, explanation: string) =>
      ({ source, destination, probe: `TCP/${port}`, intended, actual, expectation, explanation });
    const base = tinyReport();
    const differences = [
      d('world', 'p', 1, false, true, 'e', 'x'),
      d('world', 'p', 2, false, true, 'e', 'x'), // same group
      d('world', 'p', 3, true, true, 'e', 'x'), // intended differs
      d('world', 'p', 4, true, false, 'e', 'x'), // actual differs
      d('world', 'p', 5, true, false, 'e', 'y'), // explanation differs
      d('world', 'p', 6, true, false, 'f', 'y'), // expectation differs
      d('world', 'q', 7, true, false, 'f', 'y'), // destination differs
      d('host', 'q', 8, true, false, 'f', 'y'), // source differs
    ];
    const report: VerifyReport = { ...base, summary: { ...base.summary, differences: 8, differencesListed: 8 }, differences, warnings: [] };
    const text = formatVerifyReport(report, 'text');
    expect(text.slice(text.indexOf('Differences'))).toBe([
      'Differences (intended vs actual):',
      '  ! world -> p TCP/1, TCP/2: intended denied, actual allowed',
      '      intended because: e',
      '      actual because:   x',
      '  ! world -> p TCP/3: intended allowed, actual allowed',
      '      intended because: e',
      '      actual because:   x',
      '  ! world -> p TCP/4: intended allowed, actual denied',
      '      intended because: e',
      '      actual because:   x',
      '  ! world -> p TCP/5: intended allowed, actual denied',
      '      intended because: e',
      '      actual because:   y',
      '  ! world -> p TCP/6: intended allowed, actual denied',
      '      intended because: f',
      '      actual because:   y',
      '  ! world -> q TCP/7: intended allowed, actual denied',
      '      intended because: f',
      '      actual because:   y',
      '  ! host -> q TCP/8: intended allowed, actual denied',
      '      intended because: f',
      '      actual because:   y',
      '',
      'VIOLATED: 8 of 3 checks differ from the intended reachability.',
      '',
    ].join('\n'));
  });

  test('ids that are not endpoints (a hand-edited or foreign report) print as their own rows and columns', () => {
    const base = tinyReport();
    const report: VerifyReport = { ...base, sources: [...base.sources, 'extra'], destinations: [...base.destinations, 'extra'], matrix: ['✓✓·', '!  ', '·· '] };
    expect(formatVerifyReport(report, 'text').split('\n').slice(5, 13)).toEqual([
      'Destinations:',
      '  1  tenant-root/pod  TCP/8080',
      '  2  world            TCP/443',
      '  3  extra',
      '',
      '                  1 2 3',
      '  tenant-root/pod ✓ ✓ ·',
      '  world           !    ',
    ]);
    // a source that is not a tenant endpoint fills every relation column of a tenant destination
    expect(formatVerifyReport(report, 'text', { maxColumns: 1 }).split('\n').slice(3, 17)).toEqual([
      '  ✓ allowed   · denied   (a group whose cells differ shows ◐)',
      '',
      'Destinations:',
      '  1  same tenant: pod',
      '  2  a descendant: pod',
      '  3  an ancestor: pod',
      '  4  an unrelated tenant: pod',
      '  5  world',
      '  6  extra',
      '',
      '             1 2 3 4 5 6',
      '  tenant pod ✓       ✓ ·',
      '  world      ! ! ! !    ',
      '  extra      · · · · ·  ',
    ]);
  });
});
