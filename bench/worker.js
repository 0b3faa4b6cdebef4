'use strict';
// One measurement in a fresh process (see bench/run.js): prints one JSON line.
const fs = require('fs');
const path = require('path');
const { platform } = require('./platform-gen');

const [mode, nText, out] = process.argv.slice(2);
const n = Number(nText);
const lib = require('../lib');
const { Construct } = require(require.resolve('constructs', { paths: [path.join(__dirname, '..')] }));
const { writeFolderAtomically } = require('../lib/render/output');
const { toYaml } = require('../lib/render/files');

function rssMiB() {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

const props = { ...platform(n), delivery: { terraform: false } };
if (mode === 'synth') {
  const t = process.hrtime.bigint();
  const p = new lib.Platform(new Construct(undefined, ''), 'platform', props);
  const summary = p.synthesize(out);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms: Math.round(ms), rssMiB: rssMiB(), objects: summary.objectCount, files: summary.files.length }));
} else if (mode === 'floor') {
  // The same content, produced untimed as plain data (the objects of every
  // manifest and Flux file, the values) without touching the YAML library;
  // then the platform is dropped and only serializing that data with the
  // same YAML library (cold, as synth meets it) and writing the files is timed.
  let p = new lib.Platform(new Construct(undefined, ''), 'platform', props);
  const { collect } = require('../lib/render/collect');
  const collected = collect(p);
  const data = collected.manifests.map((m) => [m.path, m.objects]);
  for (const c of collected.components) if (c.chart) data.push([`helm/${c.name}.values.yaml`, [c.values]]);
  // index.json and topology.mmd are small and not YAML: left out of the floor.
  p = undefined;
  if (global.gc) global.gc();
  const t = process.hrtime.bigint();
  const written = new Map();
  for (const [f, objs] of data) written.set(f, toYaml(objs));
  writeFolderAtomically(out, written);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms: Math.round(ms), rssMiB: rssMiB() }));
} else if (mode === 'verify') {
  // What `cozynet verify` does after building the platform: the whole synthesized output
  // (tenant policies, exposures of the passthrough services, host firewall) against the
  // intended matrix, the tenant-authored check included. Peak RSS is the whole process's.
  const p = new lib.Platform(new Construct(undefined, ''), 'platform', props);
  const objects = p.objects();
  const t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  const report = lib.verifyTenantIsolation(p._isolationProps(), objects);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({
    ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), ok: report.ok, checks: report.summary.checks, endpoints: report.summary.endpoints,
    tenantAuthored: report.tenantAuthored.ok, rssMiB: rssMiB(),
  }));
} else if (mode === 'verify-manifests') {
  // `cozynet verify --manifests OUT` of an output folder written before (mode synth, another
  // process): reading every manifest, the served-version check, the matrix and the
  // tenant-authored check, as the CLI runs them. Peak RSS is the whole process's.
  const { run } = require('../lib/cli/main');
  const t = process.hrtime.bigint();
  const cpu0 = process.cpuUsage();
  let text = '';
  const code = run(['verify', '--manifests', out], { out: (x) => { text += x; }, err: (x) => { text += x; } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const m = /\((\d+) tenants, (\d+) endpoints/.exec(text);
  console.log(JSON.stringify({
    ms: Math.round(ms), cpuMs: Math.round((cpu.user + cpu.system) / 1000), ok: code === 0 && /^Tenant isolation: OK/.test(text),
    endpoints: m ? Number(m[2]) : 0, rssMiB: rssMiB(),
  }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
