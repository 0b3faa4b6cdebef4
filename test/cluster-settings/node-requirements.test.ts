/**
 * Issue 21, finding 7: what cluster/talos-patch.yaml says the nodes need (the openvswitch module for
 * Kube-OVN, the neighbour-table sysctls, the VLAN interfaces of L2 pools) is written into the patch
 * and checked by `validate --cluster-config`, whose success line says the cluster config was checked.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { parse, parseAllDocuments } from 'yaml';
import { Platform, PlatformProps } from '../../src';
import { run } from '../../src/cli/main';
import { parseClusterConfig } from '../../src/render/cluster-settings';

const VLAN_POOLS: PlatformProps['loadBalancer'] = {
  pools: [
    { name: 'public', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth1.100', 'eth1'] } },
    { name: 'dmz', addresses: ['198.51.100.0/28'], l2: { interfaces: ['bond0.20', 'eth1.100', 'eth1.7'] } },
  ],
};

function platform(props: PlatformProps = {}): Platform {
  return new Platform(new Construct(undefined as any, ''), 'p', { ...props, delivery: { terraform: false } });
}

function talosPatch(props: PlatformProps = {}): any {
  const text = platform(props)._renderFiles().get('cluster/talos-patch.yaml')!;
  return parseAllDocuments(text).map((d) => d.toJS())[0];
}

/** A Talos machine config with everything the default platform needs, `machine` fields overridden. */
function talosConfig(machine: Record<string, unknown> = {}): string {
  const doc = {
    machine: {
      type: 'controlplane',
      kernel: { modules: [{ name: 'br_netfilter' }, { name: 'openvswitch' }] },
      sysctls: { 'net.ipv4.neigh.default.gc_thresh1': '4096', 'net.ipv4.neigh.default.gc_thresh2': '8192', 'net.ipv4.neigh.default.gc_thresh3': '16384' },
      ...machine,
    },
    cluster: { network: { cni: { name: 'none' }, dnsDomain: 'cozy.local', podSubnets: ['10.244.0.0/16'], serviceSubnets: ['10.96.0.0/16'] }, proxy: { disabled: true } },
  };
  return JSON.stringify(doc);
}

function issues(p: Platform, text: string): string[] {
  return p._clusterConfigIssues('talos.yaml', parseClusterConfig('talos.yaml', text)).map((i) => `${i.path}: ${i.message} (got ${i.value})`);
}

describe('validate --cluster-config checks what the Talos patch asks of the nodes', () => {
  test('a machine config with the module and the sysctls passes; larger neighbour tables too', () => {
    expect(issues(platform(), talosConfig())).toEqual([]);
    expect(issues(platform(), talosConfig({ sysctls: { 'net.ipv4.neigh.default.gc_thresh1': 8192, 'net.ipv4.neigh.default.gc_thresh2': '16384', 'net.ipv4.neigh.default.gc_thresh3': '32768' } }))).toEqual([]);
  });

  test('without the openvswitch module (Kube-OVN variants): an error naming machine.kernel.modules', () => {
    expect(issues(platform(), talosConfig({ kernel: { modules: [{ name: 'br_netfilter' }] } }))).toEqual([
      'talos.yaml: machine.kernel.modules: must be "openvswitch": Kube-OVN needs the openvswitch kernel module and does not load modules on Talos (the list must hold { name: openvswitch }) (got [{"name":"br_netfilter"}])',
    ]);
    expect(issues(platform(), talosConfig({ kernel: undefined }))).toEqual([
      'talos.yaml: machine.kernel.modules: must be "openvswitch": Kube-OVN needs the openvswitch kernel module and does not load modules on Talos (the list must hold { name: openvswitch }) (got unset, so [])',
    ]);
    // not asked of a variant without Kube-OVN
    expect(issues(platform({ variant: 'cilium' }), talosConfig({ kernel: undefined }))).toEqual([]);
  });

  test('neighbour-table sysctls unset or smaller than the patch\'s: one error each, naming the sysctl', () => {
    expect(issues(platform(), talosConfig({ sysctls: { 'net.ipv4.neigh.default.gc_thresh1': '4096', 'net.ipv4.neigh.default.gc_thresh2': '1024' } }))).toEqual([
      'talos.yaml: machine.sysctls["net.ipv4.neigh.default.gc_thresh2"]: must be "8192": a node with many pods and VMs needs a larger neighbour table (this value or more, as cluster/talos-patch.yaml sets it) (got "1024")',
      'talos.yaml: machine.sysctls["net.ipv4.neigh.default.gc_thresh3"]: must be "16384": a node with many pods and VMs needs a larger neighbour table (this value or more, as cluster/talos-patch.yaml sets it) (got unset, so "1024")',
    ]);
    expect(issues(platform(), talosConfig({ sysctls: undefined }))).toHaveLength(3);
  });

  test('the CLI: the success line says the cluster config was checked; a missing module is exit 1', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-nodes-'));
    try {
      let out = '';
      let err = '';
      const io = { out: (t: string) => { out += t; }, err: (t: string) => { err += t; } };
      const file = path.join(dir, 'talos.yaml');
      fs.writeFileSync(file, talosConfig());
      expect(run(['validate', '--cluster-config', file], io)).toBe(0);
      expect(out).toMatch(new RegExp(`^cozynet: the default platform is valid \\(variant kubeovn-cilium, \\d+ objects checked\\); cluster config ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} checked: it has what the layer needs of the cluster \\(the settings of cluster/\\)\\n$`));
      out = '';
      expect(run(['validate'], io)).toBe(0);
      expect(out).not.toContain('cluster config');
      fs.writeFileSync(file, talosConfig({ kernel: { modules: [] } }));
      expect(run(['validate', '--cluster-config', file], io)).toBe(1);
      expect(err).toContain('machine.kernel.modules: must be "openvswitch"');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('an L2 pool on a VLAN interface', () => {
  test('the Talos patch creates each VLAN interface on its link (merged by interface name), each once', () => {
    const patch = talosPatch({ loadBalancer: VLAN_POOLS });
    expect(patch.machine.network).toEqual({
      interfaces: [
        { interface: 'bond0', vlans: [{ vlanId: 20 }] },
        { interface: 'eth1', vlans: [{ vlanId: 7 }, { vlanId: 100 }] },
      ],
    });
    const text = platform({ loadBalancer: VLAN_POOLS })._renderFiles().get('cluster/talos-patch.yaml')!;
    expect(text).toContain('# machine.network.interfaces vlans: MetalLB announces L2 pools on bond0.20, eth1.7, eth1.100');
    // nothing for plain interfaces
    expect(talosPatch({ loadBalancer: { pools: [{ name: 'p', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth1', 'enp1s0'] } }] } }).machine.network).toBeUndefined();
    expect(talosPatch().machine.network).toBeUndefined();
  });

  test('validate --cluster-config asks the machine config for the VLAN', () => {
    const p = platform({ loadBalancer: { pools: [{ name: 'p', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth1.100'] } }] } });
    expect(issues(p, talosConfig())).toEqual([
      'talos.yaml: machine.network.interfaces[interface=eth1].vlans: must be 100: MetalLB announces an L2 pool on eth1.100, which the node must have (VLAN 100 on eth1) (got unset, so "no such VLAN")',
    ]);
    expect(issues(p, talosConfig({ network: { interfaces: [{ interface: 'eth1', dhcp: true, vlans: [{ vlanId: 100, addresses: ['10.0.100.5/24'] }] }] } }))).toEqual([]);
    expect(issues(p, talosConfig({ network: { interfaces: [{ interface: 'eth2', vlans: [{ vlanId: 100 }] }] } }))).toHaveLength(1);
    // cozynet's own patch, applied, is enough
    const own = parse(p._renderFiles().get('cluster/talos-patch.yaml')!);
    expect(issues(p, JSON.stringify(own))).toEqual([]);
  });

  test('outside Talos, synth says that every announcing node must have the VLAN interface', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-vlan-'));
    try {
      let err = '';
      const io = { out: () => undefined, err: (t: string) => { err += t; } };
      fs.writeFileSync(path.join(dir, 'p.yaml'), 'variant: cilium-generic\ncluster:\n  apiServer: { host: 192.0.2.10 }\nloadBalancer:\n  pools:\n    - name: p\n      addresses: [192.0.2.32/28]\n      l2: { interfaces: [eth1.100] }\ndelivery: { terraform: false }\n');
      expect(run(['synth', '--config', path.join(dir, 'p.yaml'), '--out', path.join(dir, 'o')], io)).toBe(0);
      expect(err).toContain('cozynet: an L2 pool is announced on eth1.100, VLAN 100 on eth1: every node that announces it must have that interface');
      err = '';
      fs.writeFileSync(path.join(dir, 'p.yaml'), 'loadBalancer:\n  pools:\n    - name: p\n      addresses: [192.0.2.32/28]\n      l2: { interfaces: [eth1.100] }\ndelivery: { terraform: false }\n');
      expect(run(['synth', '--config', path.join(dir, 'p.yaml'), '--out', path.join(dir, 't')], io)).toBe(0);
      expect(err).not.toContain('an L2 pool is announced on');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
