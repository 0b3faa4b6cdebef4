import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../src/cli/main';
import { _precompiledValidator, parsePlatformObject, platformSchema, toFieldPath } from '../src/platform/file';

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

describe('the platform-file validator precompiled at build time', () => {
  // needs lib/ from `npm run compile` (the build runs it before the tests)
  const generated = path.join(ROOT, 'lib', 'generated', 'platform.validate.js');

  test('is made from the committed schema', () => {
    const { createHash } = jest.requireActual('crypto');
    const sha = createHash('sha256').update(fs.readFileSync(path.join(ROOT, 'schemas', 'platform.schema.json'))).digest('hex');
    expect(jest.requireActual(generated).schemaSha256).toBe(sha);
  });

  test('reports every bad platform file exactly as the validator compiled at run time', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const built = jest.requireActual(path.join(ROOT, 'lib', 'platform', 'file.js'));
    const yaml = jest.requireActual('yaml');
    const dir = path.join(ROOT, 'test', 'fixtures', 'bad');
    let compared = 0;
    let refused = 0;
    for (const f of fs.readdirSync(dir).sort()) {
      let obj: any;
      try {
        obj = yaml.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
      } catch {
        continue; // YAML syntax: never reaches the schema
      }
      const outcome = (parse: (o: any) => unknown) => {
        try {
          parse(obj);
          return 'accepted by the schema';
        } catch (e: any) {
          return String(e.message);
        }
      };
      const atRunTime = outcome(parsePlatformObject);
      expect([f, outcome(built.parsePlatformObject)]).toEqual([f, atRunTime]);
      compared++;
      if (atRunTime !== 'accepted by the schema') refused++;
    }
    expect(compared).toBeGreaterThan(60);
    expect(refused).toBeGreaterThan(15);
  });

  test('a precompiled validator made from another schema is not used', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-pre-'));
    const file = path.join(dir, 'platform.validate.js');
    fs.writeFileSync(file, 'module.exports = function validate() { return true; };\nmodule.exports.schemaSha256 = "abc";\n');
    expect(_precompiledValidator(file, 'def')).toBeUndefined();
    expect(_precompiledValidator(file, 'abc')).toBeInstanceOf(Function);
    expect(_precompiledValidator(path.join(dir, 'absent.js'), 'abc')).toBeUndefined();
  });
});
