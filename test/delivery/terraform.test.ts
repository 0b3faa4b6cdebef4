/**
 * The Terraform target: optional packages, rendered in memory (no cdktf.out
 * in the working folder), nothing written outside --out, the supported
 * CDK-for-Terraform line.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Construct } from 'constructs';
import { Platform } from '../../src';
import { CozynetValidationError } from '../../src/model/errors';
import { planDelivery } from '../../src/render/charts';
import { collect } from '../../src/render/collect';
import { renderTerraformOutput, SUPPORTED_CDKTF, TERRAFORM_PACKAGES } from '../../src/render/terraform';

const ROOT = path.join(__dirname, '..', '..');
const plan = () => planDelivery(collect(new Platform(new Construct(undefined as any, ''), 'p', {}))).releases;
const without = (...missing: string[]) => () => ({ missing });

describe('without the Terraform packages', () => {
  test('by default everything else is written and one line says how to enable it', () => {
    const r = renderTerraformOutput(plan(), undefined, without('cdktf', '@cdktf/provider-helm'));
    expect(r.files).toBeUndefined();
    expect(r.notice).toBe('cozynet: terraform/ not written: cdktf and @cdktf/provider-helm not installed (to enable the Terraform output: npm install cdktf@^0.21.0 @cdktf/provider-helm@^12.1.2)');
    expect(r.notice).not.toContain('\n');
  });

  test('asked for explicitly (delivery.terraform: true), it is a user error naming what to install', () => {
    expect(() => renderTerraformOutput(plan(), true, without('@cdktf/provider-helm'))).toThrow(CozynetValidationError);
    expect(() => renderTerraformOutput(plan(), true, without('@cdktf/provider-helm')))
      .toThrow('delivery.terraform: the Terraform output needs the packages @cdktf/provider-helm, which are not installed: run `npm install @cdktf/provider-helm@^12.1.2` (or set delivery.terraform: false) (got true)');
  });

  test('Platform.synthesize reports the notice in its summary', () => {
    jest.isolateModules(() => {
      jest.doMock('cdktf', () => {
        const e: any = new Error("Cannot find module 'cdktf'");
        e.code = 'MODULE_NOT_FOUND';
        throw e;
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Platform: P } = require('../../src') as typeof import('../../src');
      const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-notf-'));
      // in a Git repository, so that the Flux chart paths need no notice of their own
      fs.mkdirSync(path.join(out, '.git'));
      try {
        const s = new P(new Construct(undefined as any, ''), 'p').synthesize(path.join(out, 'o'));
        expect(s.files.some((f) => f.startsWith('terraform/'))).toBe(false);
        expect(s.files).toContain('flux/releases.yaml');
        expect(s.notices).toEqual([expect.stringMatching(/^cozynet: terraform\/ not written: cdktf not installed/)]);
        expect(JSON.parse(fs.readFileSync(path.join(out, 'o', 'index.json'), 'utf8')).terraform).toEqual([]);
      } finally {
        fs.rmSync(out, { recursive: true, force: true });
        jest.dontMock('cdktf');
      }
    });
  });
});

test('the supported CDK-for-Terraform line is the one installed, declared and documented', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const installed: string = require('cdktf/package.json').version;
  expect(installed.startsWith(`${SUPPORTED_CDKTF}.`)).toBe(true);
  expect(pkg.peerDependencies.cdktf).toBe(`^${SUPPORTED_CDKTF}.0`);
  expect(pkg.peerDependenciesMeta).toEqual({ 'cdktf': { optional: true }, '@cdktf/provider-helm': { optional: true } });
  expect(TERRAFORM_PACKAGES).toEqual([`cdktf@${pkg.peerDependencies.cdktf}`, `@cdktf/provider-helm@${pkg.peerDependencies['@cdktf/provider-helm']}`]);
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  expect(readme).toContain(`npm install ${TERRAFORM_PACKAGES.join(' ')}`);
  expect(readme).toContain(`cdktf ${SUPPORTED_CDKTF}`);
  // the CDK Terrain fork (cdktn) is not a drop-in: see the README
  expect(readme).toMatch(/cdktn/);
});

test('the Terraform JSON is rendered in memory: no cdktf.out, no absolute path', () => {
  const cwd = process.cwd();
  const before = fs.existsSync(path.join(cwd, 'cdktf.out'));
  const files = new Platform(new Construct(undefined as any, ''), 'p', { delivery: { terraform: true } })._renderFiles();
  expect(fs.existsSync(path.join(cwd, 'cdktf.out'))).toBe(before);
  const tf = files.get('terraform/cdk.tf.json')!;
  expect(JSON.parse(tf).terraform.backend).toEqual({ local: { path: 'terraform.tfstate' } });
  expect(tf).not.toContain(cwd);
  expect(tf).not.toContain(os.tmpdir());
});

/** Makes a folder read-only even for root (immutable flag), or with permissions only. */
function readOnly(dir: string): () => void {
  try {
    execFileSync('chattr', ['+i', dir], { stdio: 'ignore' });
    return () => execFileSync('chattr', ['-i', dir], { stdio: 'ignore' });
  } catch {
    fs.chmodSync(dir, 0o555);
    return () => fs.chmodSync(dir, 0o755);
  }
}

test('synth in a read-only working folder succeeds and writes nothing outside --out', () => {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-ro-'));
  const work = path.join(base, 'work');
  const outParent = path.join(base, 'outputs');
  const tmp = path.join(base, 'tmp');
  for (const d of [work, outParent, tmp]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(work, 'platform.yaml'), 'variant: kubeovn-cilium\ntenants: [{ name: root }]\n');
  const restore = readOnly(work);
  try {
    const main = path.join(ROOT, 'src', 'cli', 'main.ts');
    const r = spawnSync(process.execPath, ['--import', require.resolve('tsx'), '-e', `process.exitCode = require(${JSON.stringify(main)}).run(process.argv.slice(1))`,
      'synth', '--config', 'platform.yaml', '--out', path.join(outParent, 'o')], { cwd: work, encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, CI: '1', TSX_DISABLE_CACHE: '1' } });
    expect(r.stderr).toMatch(/^cozynet: wrote \d+ files to /);
    expect(r.status).toBe(0);
    expect(fs.readdirSync(work)).toEqual(['platform.yaml']);
    expect(fs.readdirSync(outParent)).toEqual(['o']);
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(fs.readdirSync(path.join(outParent, 'o'))).toContain('terraform');
  } finally {
    restore();
    fs.rmSync(base, { recursive: true, force: true });
  }
});
