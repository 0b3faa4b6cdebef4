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
  // The same objects, produced untimed, then only serialized and written.
  const p = new lib.Platform(new Construct(undefined, ''), 'platform', props);
  const files = p._renderFiles();
  const docs = [...files.entries()].filter(([f]) => f.startsWith('manifests/') || f.startsWith('flux/') || f.startsWith('helm/'))
    .map(([f, text]) => [f, require('yaml').parseAllDocuments(text).map((d) => d.toJS())]);
  if (global.gc) global.gc();
  const t = process.hrtime.bigint();
  const written = new Map();
  for (const [f, objs] of docs) written.set(f, toYaml(objs));
  written.set('index.json', files.get('index.json'));
  writeFolderAtomically(out, written);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms: Math.round(ms), rssMiB: rssMiB() }));
} else if (mode === 'verify') {
  const p = new lib.Platform(new Construct(undefined, ''), 'platform', props);
  const objects = p.objects();
  const t = process.hrtime.bigint();
  const report = lib.verifyTenantIsolation({ tenants: props.tenants }, objects);
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  console.log(JSON.stringify({ ms: Math.round(ms), ok: report.ok, checks: report.summary.checks }));
} else {
  throw new Error(`unknown mode ${mode}`);
}
