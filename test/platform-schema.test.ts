import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../src/cli/main';
import { parsePlatformObject, platformSchema, toFieldPath } from '../src/platform/file';

const ROOT = path.join(__dirname, '..');

describe('platform file JSON Schema', () => {
  test('the committed schema is the one generated from the compiled props (no drift)', () => {
    // needs lib/ and .jsii from `npm run compile` (the build runs it before the tests)
    const fresh = execFileSync('node', [path.join(ROOT, 'scripts', 'gen-platform-schema.js'), '--stdout'], { encoding: 'utf8' });
    expect(fresh).toBe(fs.readFileSync(path.join(ROOT, 'schemas', 'platform.schema.json'), 'utf8'));
  });

  test('covers every section of the contract', () => {
    const props = platformSchema().definitions.PlatformProps.properties;
    for (const key of ['variant', 'cluster', 'hubble', 'loadBalancer', 'tenants', 'subnets', 'attachments', 'passthrough']) {
      expect(props).toHaveProperty(key);
    }
    expect(props.variant.enum).toEqual(['kubeovn-cilium', 'kubeovn-cilium-generic', 'cilium', 'cilium-generic', 'cilium-kilo', 'noop']);
  });

  test('cozynet schema prints it', () => {
    let out = '';
    expect(run(['schema'], { out: (t) => { out += t; }, err: () => undefined })).toBe(0);
    expect(JSON.parse(out)).toEqual(platformSchema());
  });

  test('JSON pointers become field paths', () => {
    expect(toFieldPath('/loadBalancer/pools/1/addresses/0')).toBe('loadBalancer.pools[1].addresses[0]');
    expect(toFieldPath('')).toBe('');
  });

  test('all schema problems are reported at once', () => {
    expect(() => parsePlatformObject({ varient: 'x', cluster: { podCidr: 5 }, hubble: { enabled: 'yes' } })).toThrow(
      /3 problems:\n {2}- varient: unknown key; did you mean variant\? .*\n {2}- cluster\.podCidr: must be a string \(got 5\)\n {2}- hubble\.enabled: must be true or false \(got "yes"\)/,
    );
  });
});
