// Tenants and a virtual machine's networking: the tenant tree with its
// Cilium isolation policies, a Kube-OVN subnet for the tenant's pods and
// VMs, a bridged VLAN as a second interface (Multus), and a public address
// passed straight into the VM (cozy-proxy).
import { App, Chart } from 'cdk8s';
import {
  AttachmentIpam, AttachmentType, KubeOvnSubnet, MultusAttachment, PassthroughProtocol, PassthroughService, Platform,
} from 'cozynet';

const app = new App();

const platform = new Platform(app, 'platform', {
  // tenant-root, tenant-acme, tenant-acme-dev, tenant-beta: each a namespace
  // with hierarchical labels and the policies that isolate it.
  tenants: [
    {
      name: 'root',
      children: [
        { name: 'acme', children: [{ name: 'dev' }] },
        { name: 'beta', allowWorldEgress: false },
      ],
    },
  ],
  loadBalancer: {
    pools: [{ name: 'public', addresses: ['192.0.2.32/28'], l2: { interfaces: ['eth1'] } }],
  },
});

// Check offline that the policies give exactly the intended reachability.
const report = platform.verifyTenants()!;
if (!report.ok) {
  throw new Error(`tenant isolation: ${report.differences.map((d) => d.explanation).join('; ')}`);
}
console.error(`tenant isolation verified: ${report.summary.checks} checks, ${report.summary.allowed} allowed`);

const acme = new Chart(app, 'tenant-acme');

// Pods and VMs of tenant-acme take their primary address from this subnet.
new KubeOvnSubnet(acme, 'subnet', {
  name: 'acme-vms',
  cidr: '10.245.0.0/24',
  namespaces: ['tenant-acme'],
  excludeIps: ['10.245.0.2..10.245.0.9'],
});

// A second interface on VLAN 100 of the node bridge br-vlan100. A KubeVirt VM
// names it as `networks[].multus.networkName: tenant-acme/vlan100`; the VM
// configures its own address on it.
new MultusAttachment(acme, 'vlan100', {
  name: 'vlan100',
  namespace: 'tenant-acme',
  type: AttachmentType.BRIDGE,
  bridge: 'br-vlan100',
  vlanId: 100,
  mtu: 1500,
  ipam: AttachmentIpam.none(),
});

// 192.0.2.35 from the `public` pool, 1:1-NATed by cozy-proxy to the launcher
// pod of VM vm1: SSH and HTTPS only, plus ICMP.
new PassthroughService(acme, 'vm1', {
  name: 'vm1',
  namespace: 'tenant-acme',
  selector: { 'vm.kubevirt.io/name': 'vm1' },
  pool: 'public',
  address: '192.0.2.35',
  allowIcmp: true,
  ports: [{ port: 22 }, { port: 443, protocol: PassthroughProtocol.TCP }],
});

// A second VM with its whole address: every port and protocol.
new PassthroughService(acme, 'vm2', {
  name: 'vm2',
  namespace: 'tenant-acme',
  selector: { 'vm.kubevirt.io/name': 'vm2' },
  pool: 'public',
  address: '192.0.2.36',
  wholeIp: true,
});

app.synth();
