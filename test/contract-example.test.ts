import * as path from 'path';
import { Construct } from 'constructs';
import { Platform } from '../src';
import { run } from '../src/cli/main';
import { readPlatformFile } from '../src/platform/file';
import { validateObjects } from '../src/validation/object-validator';

const CONTRACT = path.join(__dirname, '..', 'examples', 'platforms', 'contract.yaml');

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('the example platform file of contract.md', () => {
  const platform = new Platform(new Construct(undefined as any, ''), 'p', { ...readPlatformFile(CONTRACT), delivery: { terraform: false } });
  const files = platform._renderFiles();
  const index = JSON.parse(files.get('index.json')!);

  test('synthesizes every section into its own manifest file', () => {
    expect(index.manifests).toEqual([
      'manifests/gateway-api-crds.yaml',
      'manifests/cilium.yaml',
      'manifests/cilium-networkpolicy.yaml',
      'manifests/kubeovn.yaml',
      'manifests/cert-manager.yaml',
      'manifests/kubeovn-webhook.yaml',
      'manifests/metallb.yaml',
      'manifests/multus.yaml',
      'manifests/cozy-proxy.yaml',
      'manifests/tenants.yaml',
      'manifests/load-balancer.yaml',
      'manifests/subnets.yaml',
      'manifests/attachments.yaml',
      'manifests/passthrough.yaml',
    ]);
  });

  test('every object validates strictly against its CRD or the Kubernetes schema', () => {
    const objects = platform.objects();
    const kinds = new Set(objects.map((o) => o.kind));
    for (const k of ['IPAddressPool', 'L2Advertisement', 'BGPPeer', 'BGPAdvertisement', 'Subnet', 'NetworkAttachmentDefinition', 'Service', 'CiliumNetworkPolicy', 'Namespace']) {
      expect(kinds).toContain(k);
    }
    expect(validateObjects(objects)).toEqual([]);
  });

  test('the passthrough service is handed to cozy-proxy with the pool and address', () => {
    const svc = platform.objects().find((o) => o.kind === 'Service' && o.metadata.name === 'vm1');
    expect(svc.metadata.labels['service.kubernetes.io/service-proxy-name']).toBe('cozy-proxy');
    expect(svc.metadata.annotations).toMatchObject({
      'networking.cozystack.io/wholeIP': 'true',
      'metallb.io/address-pool': 'public',
      'metallb.io/loadBalancerIPs': '192.0.2.35',
    });
    expect(svc.spec).toMatchObject({ type: 'LoadBalancer', allocateLoadBalancerNodePorts: false, externalTrafficPolicy: 'Local' });
  });

  test('tenants verify clean', () => {
    const report = platform.verifyTenants()!;
    expect(report.ok).toBe(true);
    expect(report.differences).toEqual([]);
  });
});

describe('cozynet verify', () => {
  test('prints the matrix and exits 0 for the contract example', () => {
    const r = cli(['verify', '--config', CONTRACT]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Tenant isolation: OK \(4 tenants/);
    expect(r.out).toContain('tenant-acme-dev/pod');
  });

  test('json format', () => {
    const r = cli(['verify', '--config', CONTRACT, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).ok).toBe(true);
  });

  test('a bad format is a user error', () => {
    const r = cli(['verify', '--config', CONTRACT, '--format', 'xml']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: --format: must be text or json (got "xml")\n');
  });

  test('a leak is reported and exits 1', () => {
    // Both halves of a path from tenant-acme into tenant-beta.
    const leak = [{
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumClusterwideNetworkPolicy',
      metadata: { name: 'leak-into-beta' },
      spec: {
        endpointSelector: { matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'tenant-beta' } },
        ingress: [{ fromEntities: ['cluster'] }],
      },
    }, {
      apiVersion: 'cilium.io/v2',
      kind: 'CiliumNetworkPolicy',
      metadata: { name: 'leak-out-of-acme', namespace: 'tenant-acme' },
      spec: { endpointSelector: {}, egress: [{ toEntities: ['cluster'] }] },
    }];
    const original = Platform.prototype.objects;
    const spy = jest.spyOn(Platform.prototype, 'objects').mockImplementation(function (this: Platform) {
      return [...original.call(this), ...leak];
    });
    try {
      const r = cli(['verify', '--config', CONTRACT]);
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/tenant-acme\/pod.*tenant-beta\/pod/s);
      expect(r.out).toMatch(/leak-into-beta/);
    } finally {
      spy.mockRestore();
    }
  });

  test('a platform without tenants has nothing to verify', () => {
    const r = cli(['verify']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/no tenants/);
  });
});
