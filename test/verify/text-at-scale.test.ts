// The text matrix at 200 tenants (outside the verify mutation group: one
// test of 4 s; the grouped view is pinned in test/core/verify/verify.test.ts).
import { TenantIsolationProps } from '../../src/tenants';
import { formatVerifyReport, verifyTenantIsolation } from '../../src/verify';

describe('the text matrix stays readable at 200 tenants', () => {
  test('identical rows and columns are grouped; JSON keeps every cell', () => {
    const children = Array.from({ length: 20 }, (_, i) => ({ name: `t${i}`, children: Array.from({ length: 9 }, (__, j) => ({ name: `c${j}` })) }));
    const props: TenantIsolationProps = { tenants: [{ name: 'root', children }] };
    const report = verifyTenantIsolation(props);
    expect(report.summary.tenants).toBe(201);
    expect(report.ok).toBe(true);
    expect(report.matrix).toHaveLength(report.sources.length);
    const text = formatVerifyReport(report, 'text');
    expect(text).toContain('Reachability, grouped (');
    const lines = text.split('\n');
    expect(lines.length).toBeLessThan(80);
    // (was 200: rows of merged label sets carry both sets' labels in their names)
    expect(Math.max(...lines.filter((l) => l.startsWith('  tenant ')).map((l) => l.length))).toBeLessThan(240);
    const row = (key: string) => lines.find((l) => l.startsWith(`  ${key} `))!.replace(/ +/g, ' ').trim();
    const header = lines.filter((l) => /^ +\d+ {2}/.test(l));
    const col = (label: string) => header.findIndex((l) => l.trim().replace(/^\d+ +/, '') === label);
    const pod = row('tenant pod').split(' ').slice(2);
    expect(pod[col('same tenant: pod')]).toBe('✓');
    expect(pod[col('a descendant: pod')]).toBe('✓');
    expect(pod[col('an ancestor: pod')]).toBe('·');
    expect(pod[col('an ancestor: svc:etcd')]).toBe('✓');
    expect(pod[col('an unrelated tenant: pod')]).toBe('·');
    expect(pod[col('an unrelated tenant: svc:ingress')]).toBe('·');
  });
});
