// Issue 23 item 6: golden MTU tables, read from the synthesized files, for
// underlay {1500, 9000} x every variant x IPsec on/off x IPv4/IPv6 underlay,
// with a VLAN subnet and a VLAN attachment, and the nested tenant cluster's
// recommendation. Regenerate with UPDATE_GOLDEN=1 after a deliberate change.
import * as fs from 'fs';
import * as path from 'path';
import { AttachmentType, UnderlayFamily, Variant } from '../../src';
import { propsFor, synth } from '../helpers/synth';

const GOLDEN = path.join(__dirname, 'mtu-golden.txt');
const KUBE_OVN = ['kubeovn-cilium', 'kubeovn-cilium-generic'];

function row(variant: string, underlay: number, family: UnderlayFamily, encryption: boolean, pool?: number): string {
  const base = propsFor(variant);
  const kubeOvn = KUBE_OVN.includes(variant);
  const s = synth({
    ...base,
    cluster: { ...base.cluster, encryption },
    mtu: { underlay, underlayFamily: family, ...(pool === undefined ? {} : { nodePools: [{ name: 'pool', nodeSelector: { pool: 'p' }, underlay: pool }] }) },
    ...(kubeOvn ? { subnets: [{ name: 'vms', cidr: '10.251.0.0/24' }, { name: 'vms-vlan', cidr: '10.250.0.0/24', vlan: { id: 100, interface: 'eth1' } }] } : {}),
    attachments: [{ name: 'vlan100', namespace: 'tenant-a', type: AttachmentType.VLAN, master: 'eth1', vlanId: 100 }],
  });
  const objects = s.objects();
  const subnet = (name: string) => objects.find((o) => o.kind === 'Subnet' && o.metadata.name === name)?.spec.mtu ?? '-';
  // ovn-default: the value the Job patches in (none: Kube-OVN's own)
  const ovnDefault = /"mtu":(\d+)/.exec(objects.find((o) => o.kind === 'Job')?.spec.template.spec.containers[0].command[2] ?? '')?.[1] ?? '-';
  const nad = JSON.parse(objects.find((o) => o.kind === 'NetworkAttachmentDefinition').spec.config).mtu;
  const kilo = objects.find((o) => o.kind === 'DaemonSet' && o.metadata.name === 'kilo')?.spec.template.spec.containers[0].args
    .find((a: string) => a.startsWith('--mtu='))?.slice(6) ?? '-';
  const cilium = s.files.has('helm/cilium.values.yaml') ? s.values('cilium').MTU ?? '-' : '-';
  const m = s.index.mtu;
  return [
    variant.padEnd(22), pool === undefined ? String(underlay).padEnd(4) : `${underlay}+pool${pool}`, family.padEnd(4), (encryption ? 'ipsec' : '-').padEnd(5),
    `pod=${m.pod ?? '-'}`, `ovn-default=${ovnDefault}`, `subnet=${subnet('vms')}`, `vlan-subnet=${subnet('vms-vlan')}`,
    `vlan-nad=${nad}`, `cilium=${cilium}`, `kilo=${kilo}`, `tenant=${m.tenantPod ?? '-'}/mss${m.tenantMss ?? '-'}`,
  ].join(' ');
}

test('MTU of every place that sets one, for every variant, underlay, family and IPsec', () => {
  const rows: string[] = [];
  for (const variant of Variant.names()) {
    for (const underlay of [1500, 9000]) {
      for (const family of [UnderlayFamily.IPV4, UnderlayFamily.IPV6]) {
        for (const encryption of [false, true]) rows.push(row(variant, underlay, family, encryption));
      }
    }
  }
  // node pools: the pod network fits the smallest underlay, whichever group has it
  for (const variant of Variant.names()) {
    for (const [underlay, pool] of [[9000, 1500], [1500, 9000]]) {
      for (const encryption of [false, true]) rows.push(row(variant, underlay, UnderlayFamily.IPV4, encryption, pool));
    }
  }
  const text = `${rows.join('\n')}\n`;
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, text);
  expect(text).toBe(fs.readFileSync(GOLDEN, 'utf8'));
});
