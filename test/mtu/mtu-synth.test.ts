// Issue 23: every MTU the layer sets is the plan's, asserted on the synthesized files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AttachmentType, UnderlayFamily } from '../../src';
import { ofKind as kind, propsFor, synth, synthRefusal as refused } from '../helpers/synth';
import { cli } from '../safety/helpers';

const VLAN_SUBNET = { name: 'vms-vlan', cidr: '10.250.0.0/24', vlan: { id: 100, interface: 'eth1' } };
const OVERLAY_SUBNET = { name: 'vms', cidr: '10.251.0.0/24', namespaces: ['tenant-a'] };

describe('a 9000-byte underlay on the default variant', () => {
  const s = synth({
    mtu: { underlay: 9000, interfaces: { eth1: 9000, eth2: 1500 } },
    subnets: [OVERLAY_SUBNET, VLAN_SUBNET],
    attachments: [
      { name: 'lan', namespace: 'tenant-a', type: AttachmentType.MACVLAN, master: 'eth2' },
      { name: 'br', namespace: 'tenant-a', type: AttachmentType.BRIDGE, bridge: 'br0', vlanId: 7 },
    ],
  });
  const objects = s.objects();

  test('VMs and pods on the pod network get 8900 (9000 - Kube-OVN\'s 100-byte Geneve allowance), not 1400: a Job patches ovn-default\'s spec.mtu', () => {
    // Kube-OVN creates ovn-default itself: no Helm release may own it
    expect(kind(objects, 'Subnet', 'ovn-default')).toEqual([]);
    const [job] = kind(objects, 'Job', 'cozynet-ovn-default-mtu-8900');
    expect(job.metadata.namespace).toBe('cozy-kubeovn');
    const pod = job.spec.template.spec;
    expect(pod.containers[0].command[2]).toContain('kubectl patch subnet ovn-default --type merge -p \'{"spec":{"mtu":8900}}\'');
    expect(pod.containers[0].image).toMatch(/^ghcr\.io\/cozystack\/cozystack\/kubeovn:v1\.15\.10@sha256:/);
    expect(kind(objects, 'ClusterRole', 'cozynet-ovn-default-mtu')[0].rules)
      .toEqual([{ apiGroups: ['kubeovn.io'], resources: ['subnets'], resourceNames: ['ovn-default'], verbs: ['get', 'patch'] }]);
    expect(s.files.has('manifests/ovn-default-mtu.yaml')).toBe(true);
  });

  test('an overlay subnet gets the pod network MTU, a VLAN subnet its interface\'s', () => {
    expect(kind(objects, 'Subnet', 'vms')[0].spec.mtu).toBe(8900);
    expect(kind(objects, 'Subnet', 'vms-vlan')[0].spec.mtu).toBe(9000);
  });

  test('Multus attachments get their node interface\'s MTU', () => {
    const configs = Object.fromEntries(kind(objects, 'NetworkAttachmentDefinition').map((n) => [n.metadata.name, JSON.parse(n.spec.config)]));
    expect(configs.lan.mtu).toBe(1500);
    expect(configs.br.mtu).toBe(9000);
  });

  test('Cilium (chained, native routing) gets no MTU value: Kube-OVN owns the device', () => {
    expect(s.values('cilium').MTU).toBeUndefined();
  });

  test('index.json carries the plan and the tenant clusters\' recommendation', () => {
    expect(s.index.mtu).toMatchObject({ underlay: 9000, pod: 8900, kubeOvnSubnet: 8900, tenantPod: 8850, tenantMss: 8810 });
  });
});

test('the default platform patches no ovn-default: Kube-OVN\'s own 1400 is the plan\'s', () => {
  const s = synth({});
  expect(kind(s.objects(), 'Job')).toEqual([]);
  expect(s.index.mtu).toMatchObject({ underlay: 1500, pod: 1400, tenantPod: 1350, tenantMss: 1310 });
});

test('IPsec on a 1500-byte underlay: ovn-default at 1385 (Geneve 58 + ESP 57 exceed Kube-OVN\'s 100)', () => {
  const s = synth({ cluster: { encryption: true } });
  expect(kind(s.objects(), 'Job')[0].spec.template.spec.containers[0].command[2]).toContain('{"spec":{"mtu":1385}}');
});

test('cilium: Cilium owns the device, its MTU value is the underlay', () => {
  expect(synth({ ...propsFor('cilium'), mtu: { underlay: 9000 } }).values('cilium').MTU).toBe(9000);
  expect(synth(propsFor('cilium')).values('cilium').MTU).toBe(1500);
});

test('cilium-kilo: Kilo\'s --mtu is the underlay minus WireGuard (60 IPv4, 80 IPv6), Cilium\'s MTU the same', () => {
  const kiloArgs = (s: ReturnType<typeof synth>) => kind(s.objects(), 'DaemonSet', 'kilo')[0].spec.template.spec.containers[0].args as string[];
  const v4 = synth({ ...propsFor('cilium-kilo'), mtu: { underlay: 9000 } });
  expect(kiloArgs(v4)).toContain('--mtu=8940');
  expect(v4.values('cilium').MTU).toBe(8940);
  expect(v4.values('cilium').underlayProtocol).toBeUndefined();
  const v6 = synth({ ...propsFor('cilium-kilo'), mtu: { underlayFamily: UnderlayFamily.IPV6 } });
  expect(kiloArgs(v6)).toContain('--mtu=1420');
  // Cilium's VXLAN runs over IPv6 too (its overhead is then 70)
  expect(v6.values('cilium')).toMatchObject({ MTU: 1420, underlayProtocol: 'ipv6' });
  expect(v6.index.mtu.pod).toBe(1350);
});

describe('refusal, not silence', () => {
  test('IPsec on a 1500-byte underlay with a pod MTU of 1450 names the layers and numbers', () => {
    expect(refused({ cluster: { encryption: true }, mtu: { pod: 1450 } }))
      .toMatch(/mtu\.pod: pod network MTU 1450 \+ IPsec ESP 57 \+ Geneve 58 = 1565 exceeds the underlay NIC's 1500 \(mtu\.underlay\): at most 1385/);
  });

  test('the CLI refuses it with exit 1, no stack trace', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-mtu-'));
    fs.writeFileSync(path.join(dir, 'p.yaml'), 'cluster:\n  encryption: true\nmtu:\n  pod: 1450\n');
    for (const cmd of ['mtu', 'synth']) {
      const r = cli([cmd, '--config', path.join(dir, 'p.yaml'), ...(cmd === 'synth' ? ['--out', path.join(dir, 'o')] : [])]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^error: mtu\.pod: pod network MTU 1450 \+ IPsec ESP 57 \+ Geneve 58 = 1565 exceeds the underlay NIC's 1500/);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(fs.existsSync(path.join(dir, 'o'))).toBe(false);
  });

  test('an attachment MTU above its interface\'s, a subnet MTU above the pod network\'s, Kilo above the underlay', () => {
    expect(refused({ attachments: [{ name: 'x', namespace: 'ns', type: 'macvlan', master: 'eth1', mtu: 9000 }] }))
      .toMatch(/attachments\[0\]\.mtu: the macvlan attachment's MTU 9000 \+ VLAN\/bridge 0 = 9000 exceeds the node interface eth1's 1500 \(mtu\.underlay\)/);
    expect(refused({ subnets: [{ ...OVERLAY_SUBNET, mtu: 1450 }] }))
      .toMatch(/subnets\[0\]\.mtu: the overlay subnet's MTU 1450 exceeds the pod network's 1400/);
    expect(refused({ ...propsFor('cilium-kilo'), components: { kilo: { mtu: 1480 } } }))
      .toMatch(/components\.kilo\.mtu: Kilo's WireGuard interface MTU 1480 \+ WireGuard 60 = 1540 exceeds the underlay NIC's 1500/);
    expect(refused({ mtu: { underlay: 100 } })).toMatch(/mtu\.underlay: must be an MTU: a whole number from 1280 to 9216/);
  });

  test('a VLAN subnet above its interface, bad interface MTUs, a pod MTU on noop', () => {
    expect(refused({ mtu: { interfaces: { eth1: 1500 } }, subnets: [{ ...VLAN_SUBNET, mtu: 9000 }] }))
      .toMatch(/subnets\[0\]\.mtu: the VLAN subnet's MTU 9000 \+ VLAN\/bridge 0 = 9000 exceeds the node interface eth1's 1500 \(mtu\.interfaces\.eth1\)/);
    expect(refused({ mtu: { interfaces: { eth1: 10000 } } })).toMatch(/mtu\.interfaces\.eth1: must be an MTU/);
    expect(refused({ ...propsFor('noop'), mtu: { pod: 1400 } })).toMatch(/mtu\.pod: applies to the variants whose CNI cozynet installs/);
    expect(refused({ mtu: { underlay: 1300 }, cluster: { podCidr: 'fd00:10::/64', podGateway: 'fd00:10::1', serviceCidr: 'fd00:20::/108', joinCidr: 'fd00:30::/64' } }))
      .toMatch(/mtu\.underlay: leaves the IPv6 pod network 1200 bytes after Geneve 58 \(and Kube-OVN's allowance\), below IPv6's minimum MTU 1280 \(RFC 8200 §5\): at least 1380/);
  });

  test('a pod MTU much smaller than possible is a notice, not an error', () => {
    const s = synth({ mtu: { underlay: 9000, pod: 1500 } });
    expect(s.index.mtu.pod).toBe(1500);
    expect(s.index.mtu.notices).toEqual([expect.stringMatching(/mtu\.pod 1500 is 7400 bytes below the largest that fits \(8900\)/)]);
  });
});

describe('the live check (mtu.check)', () => {
  test('off by default', () => {
    expect([...synth({}).files.keys()].filter((f) => f.includes('mtu-check'))).toEqual([]);
  });

  test('DF pings of the computed sizes between nodes and between pods, in a namespace whose Pod Security admits them', () => {
    const s = synth({ mtu: { underlay: 9000, check: true } });
    const docs = s.docs('manifests/mtu-check.yaml');
    const ns = kind(docs, 'Namespace')[0];
    expect(ns.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
    const scripts = Object.fromEntries(kind(docs, 'DaemonSet').map((d) => [d.metadata.name, d.spec.template.spec.containers[0].command[2]]));
    expect(scripts['mtu-check-nodes']).toContain('ping -M do -c 2 -W 2 -s 8972 ');
    expect(scripts['mtu-check-pods']).toContain('ping -M do -c 2 -W 2 -s 8872 ');
    expect(scripts['mtu-check-pods']).toContain('for s in mtu-check-pods.cozy-mtu-check.svc.cozy.local.; do dig +short A "$s"; done');
    expect(kind(docs, 'DaemonSet', 'mtu-check-nodes')[0].spec.template.spec.hostNetwork).toBe(true);
  });
});

test('cozynet mtu prints the table and JSON', () => {
  const text = cli(['mtu']);
  expect(text.code).toBe(0);
  expect(text.out).toMatch(/^layer +MTU +overhead +source\nunderlay NIC \(ipv4\) +1500 /);
  expect(text.out).toMatch(/tenant cluster pod .* 1350 +-50 +cilium\/cilium pkg\/mtu\/mtu\.go TunnelOverheadIPv4/);
  const json = cli(['mtu', '--variant', 'cilium', '--format', 'json']);
  expect(JSON.parse(json.out)).toMatchObject({ variant: 'cilium', cilium: 1500, pod: 1450 });
  expect(cli(['mtu', '--format', 'yaml']).err).toMatch(/^error: --format: must be text or json/);
});

test('the topology diagram names the pod network\'s MTU on the CNI\'s node', () => {
  expect(synth({ mtu: { underlay: 9000 } }).files.get('topology.mmd')).toContain('Pod CIDR 10.244.0.0/16, MTU 8900 (underlay 9000; tenant cluster pods 8850)');
  expect(synth(propsFor('noop')).files.get('topology.mmd')).not.toContain('MTU');
});
