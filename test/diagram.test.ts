import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diagramCommand } from '../src/cli/diagram-command';
import { buildPlatform } from '../src/cli/main';
import { AttachmentType } from '../src/constructs/multus-attachment';
import { CozynetValidationError } from '../src/model/errors';
import { readPlatformFile } from '../src/platform/file';
import { PlatformProps } from '../src/platform/platform';
import { escapeMermaidText, renderDiagram } from '../src/render/diagram';
import { TenantProps } from '../src/tenants/props';
import { ExternalCni } from '../src/variants/stack';

const CONTRACT = path.join(__dirname, '..', 'examples', 'platforms', 'contract.yaml');
const contract = readPlatformFile(CONTRACT);

function diagram(props: PlatformProps): string {
  return renderDiagram(buildPlatform(props));
}

const ID = /^[A-Za-z][A-Za-z0-9_]*$/;
const LABEL = '"[^"]*"';
const NODE = new RegExp(`^(\\S+?)(\\[${LABEL}\\]|\\(${LABEL}\\)|\\{${LABEL}\\})$`);
const SUBGRAPH = new RegExp(`^subgraph (\\S+?)\\[${LABEL}\\]$`);
const EDGE = new RegExp(`^(\\S+) (-->|-\\.->)(\\|${LABEL}\\|)? (\\S+)$`);

/**
 * Checks that every line is one of the forms the renderer emits and that
 * they fit together: valid ids, quoted labels without raw quotes, balanced
 * brackets and subgraphs, edges between declared nodes or subgraphs.
 * Returns the declared node ids.
 */
function checkMermaid(text: string): Set<string> {
  expect(text.endsWith('\n')).toBe(true);
  const lines = text.slice(0, -1).split('\n');
  expect(lines[0]).toBe('flowchart TD');
  const declared = new Set<string>();
  const edges: Array<[string, string]> = [];
  let depth = 0;
  for (const raw of lines.slice(1)) {
    const line = raw.trim();
    const problem = `line ${JSON.stringify(raw)}`;
    // Brackets balance outside the quoted labels; labels have no raw quote.
    expect({ problem, quotes: (line.match(/"/g) ?? []).length % 2 }).toEqual({ problem, quotes: 0 });
    const outside = line.replace(/"[^"]*"/g, '');
    for (const [open, close] of [['[', ']'], ['(', ')'], ['{', '}']]) {
      expect({ problem, balance: outside.split(open).length - outside.split(close).length }).toEqual({ problem, balance: 0 });
    }
    let m: RegExpExecArray | null;
    if (line === 'end') {
      depth--;
      expect({ problem, depth: depth >= 0 }).toEqual({ problem, depth: true });
    } else if ((m = SUBGRAPH.exec(line))) {
      expect(m[1]).toMatch(ID);
      expect(declared.has(m[1])).toBe(false);
      declared.add(m[1]);
      depth++;
    } else if ((m = EDGE.exec(line))) {
      expect(m[1]).toMatch(ID);
      expect(m[4]).toMatch(ID);
      edges.push([m[1], m[4]]);
    } else if ((m = NODE.exec(line))) {
      expect(m[1]).toMatch(ID);
      expect(m[1]).not.toBe('end');
      expect({ problem, duplicate: declared.has(m[1]) }).toEqual({ problem, duplicate: false });
      declared.add(m[1]);
    } else {
      throw new Error(`not a Mermaid line the renderer emits: ${problem}`);
    }
  }
  expect(depth).toBe(0);
  for (const [from, to] of edges) {
    expect({ from, declared: declared.has(from) }).toEqual({ from, declared: true });
    expect({ to, declared: declared.has(to) }).toEqual({ to, declared: true });
  }
  return declared;
}

/** The label of the node `id`, with `<br/>` turned into newlines. */
function labelOf(text: string, id: string): string | undefined {
  const m = new RegExp(`^\\s*${id}\\["([^"]*)"\\]$`, 'm').exec(text);
  return m?.[1].replace(/<br\/>/g, '\n');
}

describe('renderDiagram of the contract example', () => {
  const text = diagram(contract);

  test('is a well-formed Mermaid flowchart in the seed style', () => {
    expect(text.startsWith('flowchart TD\n')).toBe(true);
    checkMermaid(text);
    expect(text).toContain('EXT["External Clients"]');
    expect(text).toContain('EXT --> RTR');
  });

  test('shows each pool with its addresses and announcement mode', () => {
    expect(labelOf(text, 'POOL_public')).toBe('Pool public\n192.0.2.32/28, 192.0.2.100-192.0.2.120\nL2 (eth1)');
    expect(labelOf(text, 'POOL_transit')).toContain('BGP (peer-10-0-0-1, AS 65000)');
    expect(labelOf(text, 'POOL_transit')).toContain('local AS 65001');
    expect(text).toContain('RTR -->|"L2 (ARP)"| POOL_public');
    expect(text).toContain('RTR -->|"BGP"| POOL_transit');
    expect(text).toContain('POOL_public --> CIL');
    expect(text).toContain('POOL_transit --> CIL');
  });

  test('shows Cilium with Hubble, then Kube-OVN with the pod and join CIDRs over GENEVE', () => {
    const cil = labelOf(text, 'CIL')!;
    expect(cil).toContain('Cilium eBPF');
    expect(cil).toContain('Service Load Balancing + Network Policies');
    expect(cil).toContain('Hubble');
    const cni = labelOf(text, 'CNI')!;
    expect(cni).toContain('Kube-OVN');
    expect(cni).toContain('10.244.0.0/16');
    expect(cni).toContain('Join CIDR 100.64.0.0/16');
    expect(cni).toContain('GENEVE');
    expect(text).toContain('CIL --> CNI');
    expect(text).toContain('CNI --> TENANTS');
  });

  test('draws the tenant tree as parent → child edges inside a subgraph', () => {
    expect(text).toMatch(/^subgraph TENANTS\["Tenants \(4\)"\]$/m);
    for (const ns of ['tenant-root', 'tenant-acme', 'tenant-acme-dev', 'tenant-beta']) {
      expect(text).toContain(`NS_${ns.replace(/-/g, '_')}["${ns}"]`);
    }
    expect(text).toContain('NS_tenant_root --> NS_tenant_acme\n');
    expect(text).toContain('NS_tenant_acme --> NS_tenant_acme_dev\n');
    expect(text).toContain('NS_tenant_root --> NS_tenant_beta\n');
    expect(text).not.toContain('NS_tenant_acme --> NS_tenant_beta');
    expect(text).not.toContain('more tenant');
  });

  test('binds the subnet, the attachment and the passthrough to tenant-acme', () => {
    expect(labelOf(text, 'SUB_acme_vms')).toContain('10.245.0.0/24');
    expect(text).toContain('SUB_acme_vms --> NS_tenant_acme\n');
    expect(labelOf(text, 'NAD_tenant_acme_vlan100')).toBe('NAD tenant-acme/vlan100\nbridge br-vlan100, VLAN 100');
    expect(text).toContain('NAD_tenant_acme_vlan100 -->|"secondary interface"| NS_tenant_acme');
    expect(labelOf(text, 'PT_tenant_acme_vm1')).toBe('vm1 192.0.2.35 (whole IP)');
    expect(text).toContain('POOL_public --> PT_tenant_acme_vm1\n');
    expect(text).toContain('PT_tenant_acme_vm1 -->|"1:1 NAT"| NS_tenant_acme');
  });

  test('is deterministic', () => {
    expect(diagram(contract)).toBe(text);
    expect(renderDiagram(buildPlatform(readPlatformFile(CONTRACT)))).toBe(text);
    const platform = buildPlatform(contract);
    expect(renderDiagram(platform, { objects: platform.objects() })).toBe(text);
  });
});

describe('the CNI node follows the variant', () => {
  test('cilium: Cilium is the CNI, no Kube-OVN', () => {
    const text = diagram({ ...contract, subnets: undefined, variant: 'cilium' });
    checkMermaid(text);
    expect(labelOf(text, 'CNI')).toContain('Cilium as CNI');
    expect(labelOf(text, 'CIL')).not.toContain('chained');
    expect(text).not.toContain('Kube-OVN (');
    expect(text).not.toContain('KILO');
  });

  test('cilium-kilo: Cilium as CNI plus the Kilo mesh', () => {
    const text = diagram({ ...contract, subnets: undefined, variant: 'cilium-kilo' });
    checkMermaid(text);
    expect(labelOf(text, 'CNI')).toContain('Cilium as CNI');
    expect(labelOf(text, 'KILO')).toContain('Kilo WireGuard mesh');
    expect(labelOf(text, 'KILO')).toContain('100.66.0.0/16');
    expect(text).toContain('CNI -.->|"cross-node traffic"| KILO');
    expect(text).not.toContain('Kube-OVN (');
  });

  test('noop: bring your own CNI, no Cilium', () => {
    const text = diagram({ ...contract, subnets: undefined, variant: 'noop', cni: ExternalCni.CILIUM });
    checkMermaid(text);
    expect(labelOf(text, 'CNI')).toContain('Bring your own CNI');
    expect(text).not.toMatch(/^\s*CIL\[/m);
    expect(text).toContain('POOL_public --> CNI');
    expect(text).not.toContain('Hubble');
  });

  test('without hubble the Cilium node does not mention it', () => {
    const text = diagram({ ...contract, hubble: undefined });
    expect(labelOf(text, 'CIL')).not.toContain('Hubble');
  });
});

describe('other topologies', () => {
  test('the default platform: MetalLB without pools, plain pods', () => {
    const text = diagram({});
    checkMermaid(text);
    expect(text).toContain('MLB["MetalLB (cozy-metallb)<br/>(no address pools)"]');
    expect(text).toContain('RTR --> MLB\nMLB --> CIL');
    expect(text).toContain('CNI --> PODS');
    expect(text).not.toContain('TENANTS');
  });

  test('VLAN sub-interfaces, per-port passthrough, subnet serving an attachment, non-tenant namespace', () => {
    const text = diagram({
      loadBalancer: {
        pools: [
          { name: 'dmz', addresses: ['203.0.113.0/28'], l2: { interfaces: ['eth1.100', 'eth2'] } },
          { name: 'both', addresses: ['203.0.113.64/28'], l2: {}, bgp: { localAsn: 65001, peers: [{ address: '10.0.0.1', asn: 65000 }, { address: '10.0.0.2', asn: 65002 }] } },
        ],
      },
      subnets: [{ name: 'sec', cidr: '10.246.0.0/24' }],
      attachments: [{ name: 'ovn2', namespace: 'vms', type: AttachmentType.KUBE_OVN, subnet: 'sec' }],
      passthrough: [{ name: 'web', namespace: 'vms', selector: { app: 'web' }, pool: 'dmz', address: '203.0.113.5', ports: [{ port: 22 }, { port: 53, protocol: 'UDP' as any }] }],
    });
    checkMermaid(text);
    expect(text).toMatch(/^subgraph VLANS\["Client VLANs"\]$/m);
    expect(labelOf(text, 'VLAN_eth1_100')).toBe('VLAN 100\neth1.100 on eth1');
    expect(text).toContain('RTR --> VLAN_eth1_100\n');
    expect(text).toContain('VLAN_eth1_100 -->|"L2 (ARP)"| POOL_dmz');
    expect(text).toContain('RTR -->|"L2 (ARP)"| POOL_dmz');
    expect(labelOf(text, 'POOL_dmz')).toContain('L2 (eth1.100, eth2)');
    expect(labelOf(text, 'POOL_both')).toContain('L2 (all interfaces)\nBGP (peer-10-0-0-1, AS 65000; peer-10-0-0-2, AS 65002)');
    expect(labelOf(text, 'PT_vms_web')).toBe('web 203.0.113.5 (TCP 22, UDP 53)');
    expect(labelOf(text, 'NS_vms')).toBe('namespace vms');
    expect(text).toContain('CNI --> NS_vms');
    expect(labelOf(text, 'SUB_sec')).toContain('provider ovn2.vms.ovn');
    expect(text).toContain('SUB_sec -.->|"addresses"| NAD_vms_ovn2');
  });
});

/** root → 4 → 7 each → 6 each (plus extra): 1 + 4 + 28 + 168 = 201 tenants. */
function bigTree(): TenantProps[] {
  const level = (n: number, prefix: string, below?: () => TenantProps[]) =>
    Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, children: below?.() }));
  return [{ name: 'root', children: level(4, 'a', () => level(7, 'b', () => level(6, 'c'))) }];
}

describe('a 200-tenant tree', () => {
  const props: PlatformProps = {
    ...contract,
    tenants: bigTree(),
    subnets: [],
    attachments: [{ name: 'deep', namespace: 'tenant-a3-b6-c5', type: AttachmentType.BRIDGE, bridge: 'br0' }],
    passthrough: [],
  };
  const platform = buildPlatform(props);
  const total = platform.tenantIsolation!.namespaces.length;
  const text = renderDiagram(platform);
  const tenantNodes = [...text.matchAll(/^\s*(NS_tenant_\w+)\["/gm)].map((m) => m[1]);
  const more = [...text.matchAll(/"… (\d+) more tenants?"/g)].map((m) => Number(m[1]));

  test('is collapsed into the first levels and "… N more tenants" nodes', () => {
    expect(total).toBe(201);
    checkMermaid(text);
    expect(tenantNodes.length).toBeLessThanOrEqual(30);
    expect(labelOf(text, 'MORE_tenant_a0')).toBe('… 49 more tenants');
    expect(text).toContain('NS_tenant_a0 -.-> MORE_tenant_a0\n');
    expect(more.length).toBeGreaterThan(0);
    // Every tenant is either drawn or counted exactly once.
    expect(tenantNodes.length + more.reduce((a, b) => a + b, 0)).toBe(total);
    expect(text).toContain(`Tenants (${total}, ${tenantNodes.length} shown)`);
    expect(text).toContain('NS_tenant_root --> NS_tenant_a0\n');
    expect(text.split('\n').length).toBeLessThan(80);
  });

  test('still draws the tenants other nodes point at, with their ancestors', () => {
    for (const ns of ['tenant-a3', 'tenant-a3-b6', 'tenant-a3-b6-c5']) expect(tenantNodes).toContain(`NS_${ns.replace(/-/g, '_')}`);
    expect(text).toContain('NS_tenant_a3_b6 --> NS_tenant_a3_b6_c5\n');
    expect(text).toContain('NAD_tenant_a3_b6_c5_deep -->|"secondary interface"| NS_tenant_a3_b6_c5');
  });

  test('is deterministic', () => {
    expect(renderDiagram(buildPlatform(props))).toBe(text);
  });

  test('a flat tree shows the first children of root and counts the rest', () => {
    const flat: TenantProps[] = [{ name: 'root', children: Array.from({ length: 200 }, (_, i) => ({ name: `t${i}` })) }];
    const t = diagram({ tenants: flat });
    checkMermaid(t);
    expect(t).toContain('MORE_tenant_root["… 192 more tenants"]');
    expect(t).toContain('NS_tenant_root -.-> MORE_tenant_root\n');
    expect(t).toContain('NS_tenant_root --> NS_tenant_t7\n');
    expect(t).not.toContain('NS_tenant_t8');
  });

  test('a tree of exactly the threshold is drawn in full', () => {
    const fifty: TenantProps[] = [{ name: 'root', children: Array.from({ length: 49 }, (_, i) => ({ name: `t${i}` })) }];
    const small = diagram({ tenants: fifty });
    checkMermaid(small);
    expect(small).not.toContain('more tenant');
    expect([...small.matchAll(/^\s*NS_tenant_\w+\["/gm)].length).toBe(50);
  });
});

describe('labels and ids', () => {
  test('quotes and markup are escaped as entity codes', () => {
    expect(escapeMermaidText('a "b" <c> #1')).toBe('a #quot;b#quot; #lt;c#gt; #35;1');
    expect(escapeMermaidText('two\nlines')).toBe('two lines');
  });

  test('ids stay unique when names collide after sanitizing', () => {
    const text = diagram({
      loadBalancer: { pools: [{ name: 'p', addresses: ['203.0.113.0/28'] }] },
      passthrough: [
        { name: 'c', namespace: 'a-b', selector: { app: 'x' }, pool: 'p', address: '203.0.113.1', wholeIp: true },
        { name: 'b-c', namespace: 'a', selector: { app: 'y' }, pool: 'p', address: '203.0.113.2', wholeIp: true },
      ],
    });
    const ids = checkMermaid(text);
    expect(labelOf(text, 'PT_a_b_c')).toBe('c 203.0.113.1 (whole IP)');
    expect(labelOf(text, 'PT_a_b_c_2')).toBe('b-c 203.0.113.2 (whole IP)');
    expect(text).toContain('PT_a_b_c -->|"1:1 NAT"| NS_a_b\n');
    expect(text).toContain('PT_a_b_c_2 -->|"1:1 NAT"| NS_a\n');
    expect(ids.has('NS_a_b')).toBe(true);
  });
});

describe('diagramCommand', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-diagram-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('writes to stdout without --out', () => {
    let out = '';
    diagramCommand(contract, undefined, { out: (t) => { out += t; } });
    expect(out).toBe(diagram(contract));
  });

  test('writes the file atomically, replacing an old one, leaving no temporary file', () => {
    const file = path.join(dir, 'sub', 'topology.mmd');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, 'old');
    let out = '';
    diagramCommand({ ...contract, subnets: undefined, variant: 'noop', cni: ExternalCni.CILIUM }, file, { out: (t) => { out += t; } });
    expect(out).toBe('');
    expect(fs.readFileSync(file, 'utf8')).toBe(diagram({ ...contract, subnets: undefined, variant: 'noop', cni: ExternalCni.CILIUM }));
    expect(fs.readdirSync(path.dirname(file))).toEqual(['topology.mmd']);
  });

  test('an unwritable --out is a user error naming --out; nothing is left behind', () => {
    const blocker = path.join(dir, 'file');
    fs.writeFileSync(blocker, 'x');
    expect(() => diagramCommand(contract, path.join(blocker, 'topology.mmd'), { out: () => undefined }))
      .toThrow(CozynetValidationError);
    expect(() => diagramCommand(contract, path.join(blocker, 'topology.mmd'), { out: () => undefined }))
      .toThrow(/^--out: cannot be written/);
    expect(fs.readdirSync(dir)).toEqual(['file']);
  });

  test('an invalid platform writes nothing', () => {
    const file = path.join(dir, 'topology.mmd');
    expect(() => diagramCommand({ variant: 'nope' }, file, { out: () => undefined })).toThrow(CozynetValidationError);
    expect(fs.existsSync(file)).toBe(false);
  });
});
