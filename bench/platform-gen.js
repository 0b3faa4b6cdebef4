'use strict';
// Builds a platform file (as an object) with `n` tenants and pools, subnets,
// attachments and passthrough services growing alongside.

/** Tenant names: lowercase letters and digits. */
function name(i) {
  return `t${i.toString(36)}`;
}

function tenantTree(n) {
  // A tree of fan-out 10 under root: root's children, their children, ...
  const nodes = [{ name: 'root', children: [] }];
  for (let i = 1; i < n; i++) {
    const parent = nodes[Math.floor((i - 1) / 10)];
    const t = { name: name(i), children: [] };
    parent.children.push(t);
    nodes.push(t);
  }
  for (const t of nodes) if (t.children.length === 0) delete t.children;
  return { tenants: [nodes[0]], namespaces: nodesToNamespaces(nodes[0]) };
}

function nodesToNamespaces(root) {
  const out = [];
  const walk = (t, prefix) => {
    const ns = prefix === null ? 'tenant-root' : prefix === 'tenant-root' ? `tenant-${t.name}` : `${prefix}-${t.name}`;
    out.push(ns);
    for (const c of t.children ?? []) walk(c, ns);
  };
  walk(root, null);
  return out;
}

function ipv4(base, offset) {
  const v = base + offset;
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function platform(n) {
  const { tenants, namespaces } = tenantTree(n);
  const count = Math.max(1, Math.floor(n / 10));
  const pools = [];
  const subnets = [];
  const attachments = [];
  const passthrough = [];
  const poolBase = (11 << 24) >>> 0; // 11.0.0.0/8: pools, one /28 each
  const subnetBase = (12 << 24) >>> 0; // 12.0.0.0/8: subnets, one /24 each
  for (let i = 0; i < count; i++) {
    const ns = namespaces[(i + 1) % namespaces.length];
    pools.push({ name: `pool${i}`, addresses: [`${ipv4(poolBase, i * 16)}/28`], l2: { interfaces: [`eth1.${(i % 4000) + 10}`] } });
    subnets.push({ name: `subnet${i}`, cidr: `${ipv4(subnetBase, i * 256)}/24`, namespaces: [ns] });
    attachments.push({ name: `vlan${i}`, namespace: ns, type: 'bridge', bridge: `br${i % 100}`, vlanId: (i % 4000) + 10 });
    if (i % 2 === 0) {
      passthrough.push({ name: `vm${i}`, namespace: ns, selector: { 'vm.kubevirt.io/name': `vm${i}` }, pool: `pool${i}`, address: ipv4(poolBase, i * 16 + 1), wholeIp: true });
    }
  }
  return { tenants, loadBalancer: { pools }, subnets, attachments, passthrough };
}

module.exports = { platform };
