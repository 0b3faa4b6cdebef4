/**
 * Issue 21, finding 7: the host firewall must not close the ports an admin network manages the
 * nodes through (Talos apid 50000 and trustd 50001, the API server 6443): `talosctl` and `kubectl`
 * reach them as `world`, and a deny from the world wins over every allow. Neither a default
 * (every variant, every component port) nor the kubeovn-cilium example closes them.
 */
import { synthExample } from './example-synth';
import { Variant } from '../../src';
import { propsFor, synth } from '../helpers/synth';

const ADMIN_PORTS = ['50000', '50001', '6443'];

/** The ports the host firewall denies to the world. */
function deniedToWorld(objects: any[]): string[] {
  const policies = objects.filter((o) => o.kind === 'CiliumClusterwideNetworkPolicy');
  return policies.flatMap((p) => (p.spec.ingressDeny ?? [])
    .filter((r: any) => (r.fromEntities ?? []).includes('world'))
    .flatMap((r: any) => (r.toPorts ?? []).flatMap((tp: any) => tp.ports.map((x: any) => String(x.port)))));
}

test.each(Variant.names())('%s: no default closes the admin ports (Hubble and its metrics on)', (variant) => {
  const out = synth({ ...propsFor(variant), hubble: { enabled: true, relay: true, ui: true, metrics: ['dns', 'drop'] } });
  const denied = deniedToWorld(out.objects());
  if (variant !== 'cilium-kilo' && variant !== 'noop') expect(denied.length).toBeGreaterThan(10);
  for (const p of ADMIN_PORTS) expect([variant, p, denied.includes(p)]).toEqual([variant, p, false]);
});

test('examples/kubeovn-cilium closes an extra port, not the admin ports', () => {
  const objects = [...synthExample('kubeovn-cilium').values()].flat();
  const denied = deniedToWorld(objects);
  expect(denied).toContain('9100');
  for (const p of ADMIN_PORTS) expect([p, denied.includes(p)]).toEqual([p, false]);
});
