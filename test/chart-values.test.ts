import * as fs from 'fs';
import * as path from 'path';
import { checkChartValues } from '../src/helm/chart-schemas';

const LIB = path.join(__dirname, '..', 'lib');

const CASES: Array<[string, any]> = [
  ['cilium', { kubeProxyReplacement: true, devices: 'ovn0 genev_sys_6081', enableIdentityMark: false, externalIPs: { enabled: true } }],
  ['cilium', { hostFirewal: { enabled: true } }],
  ['cilium', { kubeProxyReplacement: 42, hubble: { relay: { enabled: 'yes' } } }],
  ['cilium', { podAnnotations: { anything: 'goes' }, operator: { replicas: 'two' } }],
  ['metallb', { crds: { enabled: true }, frrk8s: { enabled: true }, speaker: { frr: { enabled: false } } }],
  ['metallb', { speakr: {} }],
  ['kube-ovn', { func: { ENABLE_NP: false, ENABLE_NPP: true }, MASTER_NODES_LABEL: 'x' }],
  ['cilium', { nodePort: { enabled: true } }],
  ['cilium@1.19.5', { defaultLBServiceIPAM: 'none', initResources: { limits: { memory: '256Mi' } } }],
  ['metallb@0.16.1', { 'speaker': { ignoreExcludeLB: true }, 'frr-k8s': { frrk8s: { frr: { resources: { limits: { memory: '1Gi' } } } } } }],
  ['metallb', { 'frr-k8s': { frrk8s: { fr: {} } } }],
];

describe('chart values checks', () => {
  test.each(CASES)('%s %j', (chart, values) => {
    const problems = checkChartValues(chart, values);
    if (JSON.stringify(values).match(/hostFirewal"|speakr|ENABLE_NPP|42|"yes"|"two"|externalIPs|nodePort|"fr"/)) expect(problems.length).toBeGreaterThan(0);
    else expect(problems).toEqual([]);
  });

  test('keys the chart version no longer reads are rejected with the reason (facts §3)', () => {
    expect(checkChartValues('cilium@1.19.5', { externalIPs: { enabled: true }, nodePort: { enabled: true } })).toEqual([
      'externalIPs.enabled: cilium 1.19.5 does not read this value (with kubeProxyReplacement on, ExternalIPs are always handled; the 1.19 chart no longer reads this value); remove it',
      'nodePort.enabled: cilium 1.19.5 does not read this value (with kubeProxyReplacement on, NodePort is always handled; the 1.19 chart no longer reads this value); remove it',
    ]);
  });

  test('values are checked per chart version: a version without a reference is not checked', () => {
    expect(checkChartValues('cilium@1.18.0', { externalIPs: { enabled: true } })).toEqual([]);
    expect(checkChartValues('cilium@1.19.5', { hostFirewal: {} })).toHaveLength(1);
  });

  test('the precompiled validators of lib/generated give the same answers as the sources', () => {
    // lib/ is built by `npm run compile` (before the tests in `npm run build`)
    expect(fs.existsSync(path.join(LIB, 'generated', 'cilium@1.19.5.validate.js'))).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const compiled = require(path.join(LIB, 'helm', 'chart-schemas.js'));
    for (const [chart, values] of CASES) {
      expect(compiled.checkChartValues(chart, values)).toEqual(checkChartValues(chart, values));
    }
  });
});
