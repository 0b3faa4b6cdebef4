// Every flag and value cozynet passes to Kilo's `kg` exists in the `kg` of the
// image version it emits (facts §13). The flag sets of the versions are data
// read from squat/kilo's cmd/kg/main.go (test/reference/kilo/kg-flags.yaml).
import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { Kilo, MeshGranularity } from '../../src/constructs/kilo';
import { parseCidr } from '../../src/model/ip';
import { synth } from '../helpers/synth';

interface Flag { type: string; values?: string[] }
const FLAGS: Record<string, { commit: string; flags: Record<string, Flag> }> = parse(
  fs.readFileSync(path.join(__dirname, '..', 'reference', 'kilo', 'kg-flags.yaml'), 'utf8'));

/** Why `kg` of `version` would refuse `args` (unknown flag, bad value): one line per problem. */
function refused(version: string, args: string[], env: Record<string, string>): string[] {
  const flags = FLAGS[version]?.flags;
  if (!flags) return [`no flag data for Kilo ${version}`];
  const problems: string[] = [];
  for (const arg of args) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!m) {
      problems.push(`${arg}: not --flag=value`);
      continue;
    }
    const [, name, raw] = m;
    // The kubelet expands $(VAR) from the container's env before kg sees it.
    const value = raw.replace(/\$\(([A-Z_]+)\)/g, (_, v) => env[v] ?? `$(${v})`);
    const flag = flags[name];
    if (!flag) {
      problems.push(`--${name}: unknown flag`);
      continue;
    }
    const ok = (() => {
      switch (flag.type) {
        case 'bool': return value === 'true' || value === 'false';
        case 'int': case 'uint': return /^\d+$/.test(value);
        case 'stringSlice': return value.split(',').every((v) => v.length > 0);
        default: return true;
      }
    })();
    if (!ok) problems.push(`--${name}=${value}: not a ${flag.type}`);
    if (flag.values && !flag.values.includes(value)) problems.push(`--${name}=${value}: not one of ${flag.values.join(', ')}`);
    // Values kg parses further.
    if ((name === 'subnet' || name === 'internal-cidr') && !parseCidr(value).ok) problems.push(`--${name}=${value}: not a CIDR`);
    if (name === 'mtu' && value !== 'auto' && !/^\d+$/.test(value)) problems.push(`--mtu=${value}: not a number or auto`);
  }
  return problems;
}

function kiloDaemonSet(props: any = {}): any {
  const out = synth({ variant: 'cilium-kilo', components: { kilo: props } });
  return out.docs('manifests/kilo.yaml').find((o) => o.kind === 'DaemonSet');
}

function versionOf(image: string): string {
  return /:([0-9][\w.-]*)$/.exec(image)![1];
}

describe('Kilo flags match the kg of the image version', () => {
  const cases: Array<[string, any]> = [
    ['defaults', {}],
    ['full mesh, fixed MTU, other port and transit range', { meshGranularity: MeshGranularity.FULL, mtu: 1420, wireguardPort: 51821, meshSubnet: '100.67.0.0/24' }],
    ['in-cluster API address', { apiServerUrl: '' }],
  ];
  test.each(cases)('%s', (_, props) => {
    const c = kiloDaemonSet(props).spec.template.spec.containers[0];
    const version = versionOf(c.image);
    expect(version).toBe('0.7.0');
    const env = { NODE_NAME: 'node-1', NODE_IP: '192.0.2.7' };
    expect(c.env.map((e: any) => e.name).sort()).toEqual(Object.keys(env).sort());
    expect(refused(version, c.args, env)).toEqual([]);
  });

  test('every mesh granularity cozynet offers is one kg 0.7.0 accepts', () => {
    expect(Object.values(MeshGranularity).sort()).toEqual([...FLAGS['0.7.0'].flags['mesh-granularity'].values!].sort());
  });

  test('the 0.6.0 image would refuse what cozynet emits (why the version matters)', () => {
    const c = kiloDaemonSet().spec.template.spec.containers[0];
    // A Platform sets Kilo's MTU from its MTU plan (issue 23: --mtu=1440 on a 1500-byte underlay) ...
    expect(refused('0.6.0', c.args, { NODE_NAME: 'n', NODE_IP: '192.0.2.7' })).toEqual([
      '--compatibility=cilium: not one of flannel',
      '--internal-cidr: unknown flag',
    ]);
    // ... the construct alone keeps --mtu=auto, which 0.6.0 does not know either.
    const alone = new Kilo(new Construct(undefined as any, ''), 'kilo', {}).args;
    expect(refused('0.6.0', alone, { NODE_NAME: 'n', NODE_IP: '192.0.2.7' })).toContain('--mtu=auto: not a uint');
  });

  test('granularities and values kg does not know are refused with the field path', () => {
    const make = (props: any) => () => new Kilo(new Construct(undefined as any, ''), 'kilo', props);
    expect(make({ meshGranularity: 'cross' })).toThrow(/meshGranularity: must be one of location, full \(the granularities Kilo 0\.7\.0 knows\) \(got "cross"\)/);
    expect(make({ mtu: 100 })).toThrow(/mtu: must be a whole number from 1280 to 9000/);
    expect(make({ apiServerUrl: 'http://x' })).toThrow(/apiServerUrl: must be an https:\/\/host:port URL/);
    expect(make({ image: 'squat/kilo' })).toThrow(/image: must be an image reference with a tag or a digest/);
  });

  test('the transit range must not overlap the cluster ranges', () => {
    expect(() => synth({ variant: 'cilium-kilo', components: { kilo: { meshSubnet: '10.96.0.0/24' } } }))
      .toThrow(/components\.kilo\.meshSubnet: overlaps the service CIDR 10\.96\.0\.0\/16 .*WireGuard transit range must not overlap/);
    expect(() => synth({ variant: 'cilium-kilo', loadBalancer: { pools: [{ name: 'p', addresses: ['100.66.1.0/28'], l2: {} }] } }))
      .toThrow(/loadBalancer\.pools\[0\]\.addresses\[0\]: overlaps the Kilo WireGuard transit range 100\.66\.0\.0\/16/);
  });
});
