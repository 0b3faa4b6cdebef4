import { ClusterNetwork } from '../src';
import { CozynetValidationError } from '../src/model/errors';

function issues(props: any): string[] {
  try {
    new ClusterNetwork(props);
  } catch (e) {
    if (e instanceof CozynetValidationError) return e.issues.map((i) => `${i.path}: ${i.message} (got ${i.value})`);
    throw e;
  }
  return [];
}

describe('ClusterNetwork', () => {
  test('defaults are those of facts §1', () => {
    const c = new ClusterNetwork();
    expect(c).toMatchObject({
      podCidr: '10.244.0.0/16',
      podGateway: '10.244.0.1',
      serviceCidr: '10.96.0.0/16',
      joinCidr: '100.64.0.0/16',
      clusterDomain: 'cozy.local',
      encryption: false,
    });
    expect(c.apiServer).toBeUndefined();
  });

  test('the gateway follows a custom pod CIDR', () => {
    expect(new ClusterNetwork({ podCidr: '10.250.0.0/16' }).podGateway).toBe('10.250.0.1');
  });

  test('IPv6 CIDRs are accepted', () => {
    const c = new ClusterNetwork({ podCidr: 'fd00:10:244::/64', serviceCidr: 'fd00:10:96::/108', joinCidr: 'fd00:100:64::/112' });
    expect(c.podGateway).toBe('fd00:10:244::1');
  });

  test.each([
    [{ podCidr: '10.244.0.0/33' }, /^cluster\.podCidr: IPv4 prefix length must be 0-32 \(got "10\.244\.0\.0\/33"\)$/],
    [{ podCidr: '10.244.0.0' }, /^cluster\.podCidr: must be a CIDR/],
    [{ podCidr: '10.244.1.0/16' }, /^cluster\.podCidr: host bits are set; the network address is 10\.244\.0\.0\/16/],
    [{ serviceCidr: 'banana' }, /^cluster\.serviceCidr: must be a CIDR .* \(got "banana"\)$/],
    [{ joinCidr: '300.1.0.0/16' }, /^cluster\.joinCidr: must be a CIDR/],
    [{ podGateway: '10.96.0.1' }, /^cluster\.podGateway: must lie inside podCidr 10\.244\.0\.0\/16 \(got "10\.96\.0\.1"\)$/],
    [{ podGateway: '10.244.0.0' }, /^cluster\.podGateway: must be a host address/],
    [{ podGateway: 'gw' }, /^cluster\.podGateway: must be an IPv4 or IPv6 address/],
    [{ serviceCidr: '10.244.128.0/17' }, /^cluster\.serviceCidr: overlaps podCidr 10\.244\.0\.0\/16/],
    [{ joinCidr: '10.96.0.0/12' }, /^cluster\.joinCidr: overlaps serviceCidr 10\.96\.0\.0\/16/],
    [{ clusterDomain: 'Cozy_Local' }, /^cluster\.clusterDomain: must be a lowercase DNS name/],
    [{ apiServer: { host: 'bad host!' } }, /^cluster\.apiServer\.host: must be an IP address or a DNS name/],
    [{ apiServer: { host: '192.0.2.1', port: 0 } }, /^cluster\.apiServer\.port: must be a TCP port 1-65535 \(got 0\)$/],
    [{ encryption: 'yes' }, /^cluster\.encryption: must be true or false/],
  ])('refuses %j', (props, expected) => {
    const found = issues(props);
    expect(found.length).toBeGreaterThan(0);
    expect(found.some((l) => expected.test(l))).toBe(true);
  });

  test('reports every problem at once', () => {
    expect(issues({ podCidr: 'x', serviceCidr: 'y', joinCidr: 'z' }).map((l) => l.split(':')[0])).toEqual([
      'cluster.podCidr', 'cluster.serviceCidr', 'cluster.joinCidr',
    ]);
  });

  test('the API server port defaults to 6443', () => {
    expect(new ClusterNetwork({ apiServer: { host: 'api.example.com' } }).apiServer).toEqual({ host: 'api.example.com', port: 6443 });
  });
});
