// Issue 23, items 1 and 5: per-node-pool underlays (mtu.nodePools) and the
// live check's KubeVirt VM (mtu.checkVm), asserted on the synthesized files.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { AttachmentType } from '../../src';
import { validateObjects } from '../../src/validation/object-validator';
import { ofKind as kind, propsFor, synth, synthRefusal as refused } from '../helpers/synth';
import { cli } from '../safety/helpers';

const STORAGE = { name: 'storage', nodeSelector: { 'node.kubernetes.io/pool': 'storage' }, underlay: 9000, interfaces: { eth1: 9000 } };
const EDGE = { name: 'edge', nodeSelector: { 'example.com/edge': 'true' }, underlay: 1450 };

describe('node pools: the pod network fits the smallest underlay', () => {
  test('jumbo nodes everywhere but one 1500-byte pool: the pool limits pods to 1400, ovn-default is patched (Kube-OVN alone would give the jumbo nodes 8900)', () => {
    const s = synth({ mtu: { underlay: 9000, nodePools: [{ name: 'workers', nodeSelector: { role: 'worker' }, underlay: 1500 }] } });
    expect(s.index.mtu).toMatchObject({
      underlay: 1500,
      defaultUnderlay: 9000,
      pod: 1400,
      limitedBy: 'mtu.nodePools[0].underlay',
      nodePools: [{ name: 'workers', nodeSelector: { role: 'worker' }, underlay: 1500, pod: 1400, unusedByPods: 0, limitsPod: true }],
    });
    expect(s.index.mtu.layers[0]).toMatchObject({ mtu: 1500, source: 'mtu.nodePools[0].underlay (pool workers), the smallest of 2 node groups' });
    expect(s.index.mtu.notices).toEqual([expect.stringMatching(/^notice: mtu\.underlay \(the nodes in no pool\): its 9000-byte underlay carries pod packets of at most 1400 bytes: the pod network fits the smallest underlay, 1500 \(mtu\.nodePools\[0\]\.underlay\)/)]);
    const job = kind(s.objects(), 'Job', 'cozynet-ovn-default-mtu-1400')[0];
    expect(job.spec.template.spec.containers[0].command[2]).toContain('{"spec":{"mtu":1400}}');
  });

  test('a pool far larger than the pod network can use gets a notice; the default nodes limit the pod MTU', () => {
    const s = synth({ mtu: { nodePools: [STORAGE] } });
    expect(s.index.mtu).toMatchObject({ underlay: 1500, pod: 1400, limitedBy: 'mtu.underlay' });
    expect(s.index.mtu.nodePools[0]).toMatchObject({ name: 'storage', underlay: 9000, unusedByPods: 7500, limitsPod: false, interfaces: { eth1: 9000 } });
    expect(s.index.mtu.notices).toEqual([expect.stringMatching(
      /^notice: mtu\.nodePools\[0\] \(storage\): its 9000-byte underlay carries pod packets of at most 1400 bytes.*the smallest underlay, 1500 \(mtu\.underlay\).*7500 bytes of it serve only host-network traffic/,
    )]);
    // Kube-OVN alone would give the storage nodes' pods 8900: the Job pins 1400
    expect(kind(s.objects(), 'Job', 'cozynet-ovn-default-mtu-1400')).toHaveLength(1);
  });

  test('a pool only slightly larger gets no notice', () => {
    expect(synth({ mtu: { nodePools: [{ name: 'a', nodeSelector: { a: 'b' }, underlay: 1550 }] } }).index.mtu.notices).toBeUndefined();
  });

  test('every layer follows the smallest pool: IPsec, Cilium\'s MTU value, Kilo', () => {
    expect(synth({ cluster: { encryption: true }, mtu: { underlay: 9000, nodePools: [EDGE] } }).index.mtu.pod).toBe(1450 - 57 - 58); // ESP + Geneve exceed Kube-OVN's 100
    expect(synth({ ...propsFor('cilium'), mtu: { underlay: 9000, nodePools: [EDGE] } }).values('cilium').MTU).toBe(1450);
    const kilo = synth({ ...propsFor('cilium-kilo'), mtu: { underlay: 9000, nodePools: [EDGE] } });
    expect(kind(kilo.objects(), 'DaemonSet', 'kilo')[0].spec.template.spec.containers[0].args).toContain('--mtu=1390');
  });

  test('secondary interfaces fit the interface on every node: a pool\'s own, mtu.interfaces, else the pool\'s underlay', () => {
    const subnet = { name: 'vms-vlan', cidr: '10.250.0.0/24', vlan: { id: 100, interface: 'eth1' } };
    const attach = (master: string) => ({ name: 'lan', namespace: 'tenant-a', type: AttachmentType.MACVLAN, master });
    const nadMtu = (s: ReturnType<typeof synth>) => JSON.parse(kind(s.objects(), 'NetworkAttachmentDefinition')[0].spec.config).mtu;
    // eth1 9000 on the default nodes and in the storage pool: 9000 everywhere
    const s = synth({ mtu: { underlay: 9000, interfaces: { eth1: 9000 }, nodePools: [STORAGE] }, subnets: [subnet], attachments: [attach('eth1')] });
    expect(kind(s.objects(), 'Subnet', 'vms-vlan')[0].spec.mtu).toBe(9000);
    expect(nadMtu(s)).toBe(9000);
    // the edge pool's eth2 is its underlay's 1450
    expect(nadMtu(synth({ mtu: { underlay: 9000, nodePools: [EDGE] }, attachments: [attach('eth2')] }))).toBe(1450);
    expect(refused({ mtu: { underlay: 9000, nodePools: [{ ...STORAGE, interfaces: { eth1: 1500 } }] }, subnets: [{ ...subnet, mtu: 9000 }] }))
      .toMatch(/subnets\[0\]\.mtu: the VLAN subnet's MTU 9000 .* exceeds the node interface eth1's 1500 \(mtu\.nodePools\[0\]\.interfaces\.eth1\)/);
    expect(refused({ mtu: { underlay: 9000, nodePools: [EDGE] }, attachments: [{ ...attach('eth2'), mtu: 9000 }] }))
      .toMatch(/attachments\[0\]\.mtu: .* exceeds the node interface eth2's 1450 \(mtu\.nodePools\[0\]\.underlay\)/);
  });

  test('a user-set pod MTU above the smallest pool is refused', () => {
    expect(refused({ mtu: { underlay: 9000, pod: 8900, nodePools: [EDGE] } })).toMatch(/mtu\.pod: .*8900.*at most 1350/);
  });

  test('names, selectors and MTUs are checked with their field paths', () => {
    const msg = refused({
      mtu: {
        nodePools: [
          { name: 'Big_Pool', nodeSelector: { a: 'b' } },
          { name: 'x', nodeSelector: {} },
          { name: 'y', nodeSelector: { 'bad key/x/y': 'v' }, underlay: 10000 },
          { name: 'z', nodeSelector: { ok: 'bad value!' }, interfaces: { eth1: 100 } },
          { name: 'z', nodeSelector: { ok: 'v' } },
        ],
      },
    });
    expect(msg).toMatch(/mtu\.nodePools\[0\]\.name: .*DNS-1123 label/);
    expect(msg).toMatch(/mtu\.nodePools\[1\]\.nodeSelector: .*non-empty mapping of node labels/);
    expect(msg).toMatch(/mtu\.nodePools\[2\]\.nodeSelector: must be a label key.*\(got "bad key\/x\/y"\)/);
    expect(msg).toMatch(/mtu\.nodePools\[2\]\.underlay: .*must be an MTU: a whole number from 1280 to 9216/);
    expect(msg).toMatch(/mtu\.nodePools\[3\]\.nodeSelector\.ok: .*must be a label value/);
    expect(msg).toMatch(/mtu\.nodePools\[3\]\.interfaces\.eth1: .*must be an MTU/);
    expect(msg).toMatch(/mtu\.nodePools\[4\]\.name: .*must be unique: nodePools\[3\] has the same name/);
    expect(refused({ mtu: { nodePools: { name: 'a' } } })).toMatch(/mtu\.nodePools: /);
  });

  test('the live check pings a larger pool\'s nodes with its own full size, on its nodes only; every node pair with the smallest', () => {
    const docs = synth({ mtu: { check: true, nodePools: [STORAGE, { name: 'same', nodeSelector: { a: 'b' } }] } }).docs('manifests/mtu-check.yaml');
    expect(kind(docs, 'DaemonSet').map((d) => d.metadata.name).sort()).toEqual(['mtu-check-nodes', 'mtu-check-nodes-storage', 'mtu-check-pods']);
    const ds = kind(docs, 'DaemonSet', 'mtu-check-nodes-storage')[0].spec.template.spec;
    expect(ds.nodeSelector).toEqual({ 'node.kubernetes.io/pool': 'storage' });
    expect(ds.hostNetwork).toBe(true);
    expect(ds.containers[0].command[2]).toContain('dig +short A "$s"');
    expect(ds.containers[0].command[2]).toContain('mtu-check-nodes-storage.cozy-mtu-check.svc.cozy.local.');
    expect(ds.containers[0].command[2]).toContain('ping -M do -c 2 -W 2 -s 8972 ');
    expect(kind(docs, 'DaemonSet', 'mtu-check-nodes')[0].spec.template.spec.containers[0].command[2]).toContain('ping -M do -c 2 -W 2 -s 1472 ');
    expect(kind(docs, 'Service', 'mtu-check-nodes-storage')[0].spec.selector).toEqual(kind(docs, 'DaemonSet', 'mtu-check-nodes-storage')[0].spec.selector.matchLabels);
    expect(validateObjects(docs)).toEqual([]);
    expect(refused({ mtu: { nodePools: [{ name: 'a'.repeat(48), nodeSelector: { a: 'b' } }] } })).toMatch(/mtu\.nodePools\[0\]\.name: .*at most 47 characters/);
  });

  test('cozynet mtu shows what each pool gets and which one limits the pod MTU', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-mtu-pools-'));
    fs.writeFileSync(path.join(dir, 'p.yaml'), [
      'mtu:', '  underlay: 9000', '  nodePools:',
      '    - name: storage', '      nodeSelector: {node.kubernetes.io/pool: storage}', '      underlay: 9000',
      '    - name: edge', '      nodeSelector: {example.com/edge: "true"}', '      underlay: 1500', '',
    ].join('\n'));
    const r = cli(['mtu', '--config', path.join(dir, 'p.yaml')]);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^underlay NIC \(ipv4\) +1500 +- +mtu\.nodePools\[1\]\.underlay \(pool edge\), the smallest of 3 node groups$/m);
    expect(r.out).toContain('node pool storage (node.kubernetes.io/pool=storage): underlay 9000, pod network 1400, 7500 bytes of it unused by pods\n');
    expect(r.out).toContain('node pool edge (example.com/edge=true): underlay 1500, pod network 1400 (the smallest underlay: it limits the pod MTU)\n');
    expect(r.out).toContain('nodes in no pool: underlay 9000\n');
    expect(r.out).toMatch(/notice: mtu\.nodePools\[0\] \(storage\)/);
  });
});

describe('the live check\'s VM (mtu.checkVm)', () => {
  const s = synth({ mtu: { underlay: 9000, check: true, checkVm: true } });
  const docs = s.docs('manifests/mtu-check.yaml');
  const [vmi] = s.docs('checks/mtu-check-vm.yaml');
  const userData = vmi.spec.volumes.find((v: any) => v.cloudInitNoCloud).cloudInitNoCloud.userData as string;
  const cloudConfig = parse(userData);
  const vmScript = cloudConfig.write_files[0].content as string;

  test('a KubeVirt VMI on the pod network with the bridge binding, in the check\'s privileged namespace', () => {
    expect(vmi).toMatchObject({
      apiVersion: 'kubevirt.io/v1',
      metadata: { name: 'mtu-check-vm', namespace: 'cozy-mtu-check', labels: { 'app.kubernetes.io/name': 'mtu-check-vm' } },
      spec: {
        domain: { devices: { interfaces: [{ name: 'default', bridge: {} }] }, resources: { requests: { memory: '1Gi' } } },
        networks: [{ name: 'default', pod: {} }],
        readinessProbe: { httpGet: { port: 8080, path: '/ok' } },
      },
    });
    expect(vmi.spec.volumes.find((v: any) => v.containerDisk).containerDisk.image).toBe('quay.io/containerdisks/fedora:43');
    // virt-launcher pods need more than baseline/restricted admit
    expect(kind(docs, 'Namespace')[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('privileged');
  });

  test('its cloud-init takes the network from DHCP, checks the MTU it got is the plan\'s, and DF-pings the pod DaemonSet\'s pods', () => {
    expect(userData.startsWith('#cloud-config\n')).toBe(true);
    expect(cloudConfig.network).toBeUndefined();
    expect(cloudConfig.write_files[0]).toMatchObject({ path: '/usr/local/bin/mtu-check', permissions: '0755' });
    expect(vmScript).toContain('want=8900\n');
    expect(vmScript).toContain('got=$(cat "/sys/class/net/${dev:-none}/mtu"');
    expect(vmScript).toContain('getent ahostsv4 mtu-check-pods.cozy-mtu-check.svc.cozy.local.');
    expect(vmScript).toContain('ping -M do -c 2 -W 2 -s 8872 "$ip"');
    expect(vmScript).toContain('python3 -m http.server 8080');
    expect(cloudConfig.runcmd).toEqual([['systemd-run', '--unit=mtu-check', '-p', 'StandardOutput=journal+console', '/usr/local/bin/mtu-check']]);
  });

  test('the pod DaemonSet pings the VM too, through a headless Service selecting the VMI\'s labels (KubeVirt copies them to virt-launcher)', () => {
    const pods = kind(docs, 'DaemonSet', 'mtu-check-pods')[0].spec.template.spec.containers[0].command[2];
    expect(pods).toContain('for s in mtu-check-pods.cozy-mtu-check.svc.cozy.local. mtu-check-vm.cozy-mtu-check.svc.cozy.local.; do dig +short A "$s"; done');
    expect(pods).toContain('ping -M do -c 2 -W 2 -s 8872 ');
    const svc = kind(docs, 'Service', 'mtu-check-vm')[0];
    expect(svc.spec).toMatchObject({ clusterIP: 'None', publishNotReadyAddresses: true, selector: vmi.metadata.labels });
  });

  test('the VMI is in checks/, applied by hand once KubeVirt runs: no delivery path applies it before its CRD exists', () => {
    expect(kind(docs, 'VirtualMachineInstance')).toEqual([]);
    expect(s.index.manifests).not.toContain('checks/mtu-check-vm.yaml');
    expect(s.index.files).toContain('checks/mtu-check-vm.yaml');
    expect(JSON.stringify(s.flux())).not.toContain('VirtualMachineInstance');
  });

  test('the objects with schemas validate; KubeVirt\'s VMI has none in crds/', () => {
    expect(validateObjects(docs)).toEqual([]);
    expect(validateObjects([vmi])).toEqual(['VirtualMachineInstance/cozy-mtu-check/mtu-check-vm: /kind no schema is known for kubevirt.io/v1 VirtualMachineInstance']);
  });

  test('cozynet synth writes it and cozynet validate passes on the output', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-mtu-vm-'));
    fs.writeFileSync(path.join(dir, 'p.yaml'), 'mtu:\n  check: true\n  checkVm: true\n');
    const out = path.join(dir, 'o');
    const r = cli(['synth', '--config', path.join(dir, 'p.yaml'), '--out', out]);
    expect(r.err).toMatch(/^cozynet: wrote /);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(out, 'checks', 'mtu-check-vm.yaml'), 'utf8')).toContain('kind: VirtualMachineInstance');
    const v = cli(['validate', out]);
    expect(v.err).toBe('');
    expect(v.code).toBe(0);
  });

  test('the VMI uses only fields of KubeVirt\'s documented v1 API', () => {
    // kubevirt.io/api core/v1 types.go / schema.go (VirtualMachineInstanceSpec, DomainSpec, Devices, Disk, Interface,
    // Network, Probe, Volume, CloudInitNoCloudSource, ContainerDiskSource), the user guide's interfaces_and_networks.md
    // and liveness_and_readiness_probes.md
    const API: { [path: string]: string[] } = {
      'spec': ['domain', 'networks', 'readinessProbe', 'terminationGracePeriodSeconds', 'volumes'],
      'spec.domain': ['devices', 'resources'],
      'spec.domain.devices': ['disks', 'interfaces', 'rng'],
      'spec.domain.devices.disks[]': ['name', 'disk'],
      'spec.domain.devices.disks[].disk': ['bus'],
      'spec.domain.devices.interfaces[]': ['name', 'bridge'],
      'spec.domain.resources': ['requests'],
      'spec.networks[]': ['name', 'pod'],
      'spec.readinessProbe': ['httpGet', 'initialDelaySeconds', 'periodSeconds', 'timeoutSeconds'],
      'spec.readinessProbe.httpGet': ['port', 'path'],
      'spec.volumes[]': ['name', 'containerDisk', 'cloudInitNoCloud'],
      'spec.volumes[].containerDisk': ['image'],
      'spec.volumes[].cloudInitNoCloud': ['userData'],
    };
    const walk = (value: any, at: string) => {
      if (Array.isArray(value)) {
        value.forEach((v) => walk(v, `${at}[]`));
        return;
      }
      if (API[at] === undefined || value === null || typeof value !== 'object') return;
      for (const k of Object.keys(value)) {
        expect(`${at}.${k}`).toBe(API[at].includes(k) ? `${at}.${k}` : `${at}: documented field`);
        walk(value[k], `${at}.${k}`);
      }
    };
    walk(vmi.spec, 'spec');
    expect(vmi.spec.domain.devices.disks.map((d: any) => d.name).sort()).toEqual(vmi.spec.volumes.map((v: any) => v.name).sort());
    expect(vmi.spec.domain.devices.interfaces.map((i: any) => i.name)).toEqual(vmi.spec.networks.map((n: any) => n.name));
    expect(vmi.spec.domain.devices.disks.every((d: any) => ['virtio', 'sata', 'scsi', 'usb'].includes(d.disk.bus))).toBe(true);
  });

  test('off unless asked: check: true alone adds no VM and the pods ping only each other', () => {
    const plainOut = synth({ mtu: { check: true } });
    const plain = plainOut.docs('manifests/mtu-check.yaml');
    expect([...plainOut.files.keys()].filter((f) => f.startsWith('checks/'))).toEqual([]);
    expect(kind(plain, 'Service', 'mtu-check-vm')).toEqual([]);
    expect(kind(plain, 'DaemonSet', 'mtu-check-pods')[0].spec.template.spec.containers[0].command[2]).not.toContain('mtu-check-vm');
  });

  test('refused without check: true, on variants without Kube-OVN, and on an IPv6 pod network', () => {
    expect(refused({ mtu: { checkVm: true } })).toMatch(/mtu\.checkVm: .*needs check: true/);
    expect(refused({ ...propsFor('cilium'), mtu: { check: true, checkVm: true } })).toMatch(/mtu\.checkVm: .*applies to the Kube-OVN variants .* variant cilium runs no Kube-OVN/);
    expect(refused({ mtu: { check: true, checkVm: true }, cluster: { podCidr: 'fd00:10::/64', podGateway: 'fd00:10::1', serviceCidr: 'fd00:20::/108', joinCidr: 'fd00:30::/64' } }))
      .toMatch(/mtu\.checkVm: .*needs an IPv4 pod network/);
    expect(refused({ mtu: { check: true, checkVm: 'yes' } })).toMatch(/mtu\.checkVm/);
  });
});
