#!/usr/bin/env node
/**
 * Packaging test (CI: .ci/run): the package as a new user gets it.
 *
 * 1. `npm pack` this checkout (needs `npm run compile` first);
 * 2. a fresh folder outside the repository (under os.tmpdir()), where the
 *    README's install lines (block `packaging-test: install`) run verbatim,
 *    the tarball copied in as they expect;
 * 3. the README's quick start (`packaging-test: quick-start`) with `npx tsx`;
 * 4. a cdk8s app (`packaging-test: cdk8s` + the quick start ending in
 *    app.synth()) through the stock `npx cdk8s synth`;
 * 5. the CLI without the Terraform packages: everything but terraform/, one
 *    line on how to enable it, exit 0; `delivery.terraform: true` exits 1
 *    naming the packages;
 * 6. the README's Terraform line (`packaging-test: terraform`), then the CLI
 *    writes terraform/cdk.tf.json;
 * 7. one example installed and synthesized as its README says, in a copy of
 *    the repository's examples folder beside the packed library.
 *
 * npm runs with --prefer-offline: the npm cache of the CI machine is reused.
 *   node test/packaging/run.js [--keep]
 */
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..', '..');
const keep = process.argv.includes('--keep');
const started = Date.now();
const env = { ...process.env, CDK8S_CHECK_UPGRADE: 'false', npm_config_prefer_offline: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

function fail(msg) {
  console.error(`packaging-test: FAIL: ${msg}`);
  process.exit(1);
}
function step(msg) {
  console.log(`packaging-test: ${msg} (${((Date.now() - started) / 1000).toFixed(1)}s)`);
}
function sh(cmd, cwd) {
  const r = spawnSync('bash', ['-c', cmd], { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) fail(`\`${cmd}\` in ${cwd} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r;
}
function readmeBlock(marker) {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(`<!-- packaging-test: ${marker} -->`);
  if (at < 0) fail(`README.md has no block marked packaging-test: ${marker}`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(readme.slice(at));
  return m[1];
}

if (!fs.existsSync(path.join(ROOT, 'lib', 'index.js'))) fail('lib/ is missing: run `npm run compile` first');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-packaging-'));
try {
  // 1. pack
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: ROOT, env, encoding: 'utf8' }).trim().split('\n').pop();
  const tarball = path.join(tmp, packed);
  step(`packed ${packed} (${(fs.statSync(tarball).size / 1024 / 1024).toFixed(1)} MiB)`);

  // 2. install exactly what the README says
  const app = path.join(tmp, 'app');
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'my-platform', private: true }, null, 2));
  const install = readmeBlock('install');
  const named = /\.\/(cozynet-[^ ]+\.tgz)/.exec(install);
  if (!named) fail('the README install block names no ./cozynet-*.tgz');
  fs.copyFileSync(tarball, path.join(app, named[1]));
  for (const line of install.split('\n').filter((l) => l.startsWith('npm '))) sh(line, app);
  step('installed as the README says');
  for (const pkg of ['cdktf', '@cdktf/provider-helm']) {
    if (fs.existsSync(path.join(app, 'node_modules', pkg))) fail(`${pkg} was installed although the README's install lines do not ask for it`);
  }

  // 3. the quick start, verbatim, with tsx
  const quick = readmeBlock('quick-start');
  fs.writeFileSync(path.join(app, 'main.ts'), quick);
  const q = sh('npx tsx main.ts', app);
  const index = JSON.parse(fs.readFileSync(path.join(app, 'dist', 'index.json'), 'utf8'));
  if (index.variant !== 'kubeovn-cilium-generic' || index.charts.length === 0 || index.terraform.length !== 0) fail(`quick start output: ${JSON.stringify(index)}`);
  if (!/terraform\/ not written/.test(q.stdout)) fail(`the quick start does not say why terraform/ is missing: ${q.stdout}`);
  step(`quick start: ${q.stdout.trim()}`);

  // 3b. plain JavaScript with plain node
  fs.writeFileSync(path.join(app, 'main.js'), readmeBlock('javascript'));
  sh('node main.js', app);
  if (!fs.existsSync(path.join(app, 'dist-js', 'index.json'))) fail('node main.js wrote no dist-js/index.json');
  step('plain node: dist-js/');

  // 4. the same app through the stock cdk8s synth
  const cdk = path.join(tmp, 'cdk8s-app');
  fs.mkdirSync(cdk);
  fs.writeFileSync(path.join(cdk, 'cdk8s.yaml'), readmeBlock('cdk8s'));
  fs.writeFileSync(path.join(cdk, 'main.ts'), quick.replace(/const summary = platform\.synthesize[\s\S]*$/, 'app.synth();\n'));
  fs.symlinkSync(path.join(app, 'node_modules'), path.join(cdk, 'node_modules'));
  fs.copyFileSync(path.join(app, 'package.json'), path.join(cdk, 'package.json'));
  sh('npx cdk8s synth', cdk);
  const written = fs.readdirSync(path.join(cdk, 'dist'));
  if (!written.some((f) => /^platform-tenants-.*\.k8s\.yaml$/.test(f))) fail(`cdk8s synth wrote ${written.join(', ')}`);
  step(`cdk8s synth: ${written.length} files`);

  // 5. the CLI without the Terraform packages
  const c = sh('npx cozynet synth --out out-a', app);
  if (!/^cozynet: terraform\/ not written: cdktf and @cdktf\/provider-helm not installed \(to enable the Terraform output: npm install cdktf@\^0\.21\.0 @cdktf\/provider-helm@\^12\.1\.2\)$/m.test(c.stderr)) fail(`no notice: ${c.stderr}`);
  if (fs.existsSync(path.join(app, 'out-a', 'terraform')) || !fs.existsSync(path.join(app, 'out-a', 'flux', 'releases.yaml'))) fail('out-a');
  fs.writeFileSync(path.join(app, 'tf.yaml'), 'delivery:\n  terraform: true\n');
  const e = spawnSync('npx', ['cozynet', 'synth', '--config', 'tf.yaml', '--out', 'out-b'], { cwd: app, env, encoding: 'utf8' });
  if (e.status !== 1 || !/^error: delivery\.terraform: the Terraform output needs the packages cdktf and @cdktf\/provider-helm/m.test(e.stderr) || fs.existsSync(path.join(app, 'out-b'))) fail(`delivery.terraform: true without packages: exit ${e.status}: ${e.stderr}`);
  if (fs.existsSync(path.join(app, 'cdktf.out'))) fail('cdktf.out written into the working folder');
  step('CLI without Terraform packages: notice (exit 0), explicit request (exit 1)');

  // 6. with the Terraform packages of the README
  for (const line of readmeBlock('terraform').split('\n').filter((l) => l.startsWith('npm '))) sh(line, app);
  sh('npx cozynet synth --config tf.yaml --out out-c', app);
  const tf = JSON.parse(fs.readFileSync(path.join(app, 'out-c', 'terraform', 'cdk.tf.json'), 'utf8'));
  if (!tf.resource.helm_release.namespaces || fs.existsSync(path.join(app, 'cdktf.out'))) fail('terraform output');
  step(`with cdktf ${require(path.join(app, 'node_modules', 'cdktf', 'package.json')).version}: terraform/cdk.tf.json, ${Object.keys(tf.resource.helm_release).length} releases`);

  // 7. an example, as its README says (npm install && npx cdk8s synth)
  const example = process.env.PACKAGING_EXAMPLE || 'kubeovn-cilium';
  const repo = path.join(tmp, 'repo');
  fs.mkdirSync(path.join(repo, 'examples'), { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', repo, '--strip-components=1']);
  fs.cpSync(path.join(ROOT, 'examples', example), path.join(repo, 'examples', example), { recursive: true, filter: (s) => !/\/(node_modules|dist)$/.test(s) });
  sh('npm install && npx cdk8s synth', path.join(repo, 'examples', example));
  step(`examples/${example}: ${fs.readdirSync(path.join(repo, 'examples', example, 'dist')).length} files`);

  console.log(`packaging-test: OK in ${((Date.now() - started) / 1000).toFixed(1)}s`);
} finally {
  if (keep) console.log(`packaging-test: kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
