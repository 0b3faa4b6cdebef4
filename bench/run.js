#!/usr/bin/env node
// cozynet synthesis benchmark: `npm run bench` (after `npm run compile`).
//
// For 100, 1,000, 4,000 and 10,000 tenants (with pools, subnets, attachments
// and passthrough services growing alongside, bench/platform-gen.js) it runs,
// each in a fresh process:
//   - synth: the library's whole synthesis into an output folder (construct
//     tree, validation, rendering, atomic write), as `cozynet synth` does;
//   - floor: serializing the same objects with the same YAML library and
//     writing them, nothing else;
// and reports wall time, peak RSS and object counts; then `verify` (the whole
// synthesized output against the intended matrix, tenant-authored check
// included) for 100, 1,000 and 10,000 tenants (BENCH_VERIFY_SIZES), and the
// `cozynet verify --manifests` of a 20,000-tenant output folder (BENCH_MANIFESTS_SIZES;
// the folder written by a synth process first, untimed), of a generated cluster
// dump of 100,000 pods in 10,000 namespaces with 20,001 policies (BENCH_DUMP_SIZES:
// namespaces; bench/cluster-dump-gen.js; within 5 s and 2 GiB), the
// default platform's `cozynet synth` (CLI start included); and at the
// documented limit of 20,000 tenants (BENCH_CLI_SIZES) the command line itself:
// `cozynet synth`, `cozynet validate FILE` and `cozynet validate DIR`, each
// within 10 s and 1 GiB. Prints tables and writes bench/results.json.
'use strict';
const { execFileSync, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { platform } = require('./platform-gen');

const ROOT = path.join(__dirname, '..');
const SIZES = (process.env.BENCH_SIZES ?? '100,1000,4000,10000').split(',').filter(Boolean).map(Number);
const VERIFY_SIZES = (process.env.BENCH_VERIFY_SIZES ?? '100,1000,10000').split(',').filter(Boolean).map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 3);
const MANIFESTS_SIZES = (process.env.BENCH_MANIFESTS_SIZES ?? '20000').split(',').filter(Boolean).map(Number);
// `verify --manifests` of a generated cluster dump (bench/cluster-dump-gen.js): this many namespaces, 10 pods in each.
const DUMP_SIZES = (process.env.BENCH_DUMP_SIZES ?? '10000').split(',').filter(Boolean).map(Number);
// The command line at the documented limit (MAX_TENANTS): synth, validate of the platform file and validate DIR.
const CLI_SIZES = (process.env.BENCH_CLI_SIZES ?? '20000').split(',').filter(Boolean).map(Number);
const CLI_TARGET_MS = 10000;
const CLI_TARGET_MIB = 1024;

function child(mode, n, out) {
  const r = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, 'worker.js'), mode, String(n), out], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${mode} ${n} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

function best(runs, key) {
  return runs.reduce((a, b) => (b[key] < a[key] ? b : a));
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cozynet-bench-'));
const rows = [];
try {
  for (const n of SIZES) {
    const synth = [];
    const floor = [];
    for (let i = 0; i < REPEAT; i++) {
      // alternate, so that machine noise hits both alike
      synth.push(child('synth', n, path.join(work, `s${n}-${i}`)));
      floor.push(child('floor', n, path.join(work, `f${n}-${i}`)));
    }
    const s = { ms: median(synth.map((x) => x.ms)), rssMiB: Math.max(...synth.map((x) => x.rssMiB)), objects: synth[0].objects, files: synth[0].files };
    const f = { ms: median(floor.map((x) => x.ms)), rssMiB: Math.max(...floor.map((x) => x.rssMiB)) };
    rows.push({ tenants: n, objects: s.objects, files: s.files, synthMs: s.ms, floorMs: f.ms, ratio: +(s.ms / f.ms).toFixed(2), peakRssMiB: s.rssMiB, floorRssMiB: f.rssMiB });
    fs.rmSync(path.join(work), { recursive: true, force: true });
    fs.mkdirSync(work, { recursive: true });
  }

  const verify = [];
  for (const n of VERIFY_SIZES) {
    const runs = [];
    for (let i = 0; i < REPEAT; i++) runs.push(child('verify', n, work));
    verify.push({
      tenants: n, endpoints: runs[0].endpoints, ms: median(runs.map((x) => x.ms)), cpuMs: median(runs.map((x) => x.cpuMs)),
      ok: runs.every((x) => x.ok && x.tenantAuthored),
      checks: runs[0].checks, peakRssMiB: Math.max(...runs.map((x) => x.rssMiB)),
    });
  }

  const manifests = [];
  for (const n of MANIFESTS_SIZES) {
    const dir = path.join(work, `m${n}`);
    child('synth', n, dir);
    const runs = [];
    for (let i = 0; i < REPEAT; i++) runs.push(child('verify-manifests', n, dir));
    manifests.push({
      tenants: n, endpoints: runs[0].endpoints, ms: median(runs.map((x) => x.ms)), cpuMs: median(runs.map((x) => x.cpuMs)),
      ok: runs.every((x) => x.ok), peakRssMiB: Math.max(...runs.map((x) => x.rssMiB)),
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const dumps = [];
  for (const n of DUMP_SIZES) {
    const dir = path.join(work, `dump${n}`);
    const counts = require('./cluster-dump-gen').writeDump(dir, n, 10);
    const runs = [];
    for (let i = 0; i < REPEAT; i++) runs.push(child('verify-manifests', n, dir));
    dumps.push({
      ...counts, endpoints: runs[0].endpoints, ms: median(runs.map((x) => x.ms)), cpuMs: median(runs.map((x) => x.cpuMs)),
      ok: runs.every((x) => x.ok), peakRssMiB: Math.max(...runs.map((x) => x.rssMiB)),
    });
    fs.rmSync(dir, { recursive: true, force: true });
  }

  // The CLI at the limit: `cozynet synth FILE --out DIR`, `cozynet validate FILE`, `cozynet validate DIR`,
  // each in a fresh process (bench/cli-worker.js), the platform file in YAML as a user writes it.
  const limit = [];
  for (const n of CLI_SIZES) {
    const dir = path.join(work, `cli${n}`);
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, 'platform.yaml');
    fs.writeFileSync(file, require('yaml').stringify(platform(n)));
    const cases = [
      ['synth', ['synth', file, '--out', path.join(dir, 'out')]],
      ['validate FILE', ['validate', file]],
      ['validate DIR', ['validate', path.join(dir, 'out')]],
    ];
    const runs = Object.fromEntries(cases.map(([name]) => [name, []]));
    for (let i = 0; i < REPEAT; i++) {
      for (const [name, args] of cases) {
        const r = spawnSync(process.execPath, [path.join(__dirname, 'cli-worker.js'), ...args], { encoding: 'utf8', cwd: dir, maxBuffer: 1 << 26 });
        const line = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').pop()) : undefined;
        if (!line || line.code !== 0) throw new Error(`cozynet ${args.join(' ')} failed:\n${line?.err ?? r.stderr}`);
        runs[name].push({ ...line, load: os.loadavg()[0] });
      }
    }
    for (const [name] of cases) {
      const rs = runs[name];
      limit.push({
        tenants: n, command: name,
        msMin: Math.min(...rs.map((x) => x.ms)), msMedian: median(rs.map((x) => x.ms)), cpuMsMedian: median(rs.map((x) => x.cpuMs)),
        rssMiBMax: Math.max(...rs.map((x) => x.rssMiB)), rssMiBMedian: median(rs.map((x) => x.rssMiB)),
        load1: rs.map((x) => +x.load.toFixed(1)),
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const cli = [];
  for (let i = 0; i < REPEAT; i++) {
    const out = path.join(work, `cli-${i}`);
    const t = process.hrtime.bigint();
    execFileSync(process.execPath, [path.join(ROOT, 'bin', 'cozynet'), 'synth', '--out', out], { stdio: 'ignore' });
    cli.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const defaultSynthMs = Math.round(median(cli));

  const by = Object.fromEntries(rows.map((r) => [r.tenants, r]));
  const targets = [];
  if (by[10000]) targets.push({ target: '10,000 tenants within 1.5x the floor', value: `${by[10000].ratio}x`, ok: by[10000].ratio <= 1.5 });
  if (by[1000] && by[4000]) {
    const g = +(by[4000].synthMs / by[1000].synthMs).toFixed(2);
    targets.push({ target: 'growth 1,000 -> 4,000 tenants at most 4.4x', value: `${g}x`, ok: g <= 4.4 });
  }
  if (rows.length > 0) {
    const peak = Math.max(...rows.map((r) => r.peakRssMiB));
    targets.push({ target: 'peak RSS at most 1 GiB', value: `${peak} MiB`, ok: peak <= 1024 });
  }
  targets.push({ target: 'default platform cozynet synth at most 1 s (CLI start included)', value: `${defaultSynthMs} ms`, ok: defaultSynthMs <= 1000 });
  const v1000 = verify.find((v) => v.tenants === 1000);
  if (v1000) targets.push({ target: 'verify 1,000 tenants at most 5 s', value: `${v1000.ms} ms`, ok: v1000.ms <= 5000 });
  const v10000 = verify.find((v) => v.tenants === 10000);
  if (v10000) {
    targets.push({ target: 'verify 10,000 tenants at most 5 s', value: `${v10000.ms} ms`, ok: v10000.ms <= 5000 });
    targets.push({ target: 'verify 10,000 tenants peak RSS at most 1 GiB', value: `${v10000.peakRssMiB} MiB`, ok: v10000.peakRssMiB <= 1024 });
  }
  for (const v of verify) targets.push({ target: `verify ${v.tenants} tenants clean (matrix and tenant-authored check)`, value: v.ok ? 'clean' : 'DIFFERENCES', ok: v.ok });
  for (const v of manifests) {
    const name = v.tenants.toLocaleString('en-US');
    targets.push({ target: `verify --manifests ${name} tenants at most 10 s`, value: `${v.ms} ms`, ok: v.ms <= 10000 });
    targets.push({ target: `verify --manifests ${name} tenants peak RSS at most 1 GiB`, value: `${v.peakRssMiB} MiB`, ok: v.peakRssMiB <= 1024 });
    targets.push({ target: `verify --manifests ${name} tenants clean`, value: v.ok ? 'clean' : 'DIFFERENCES', ok: v.ok });
  }
  for (const d of dumps) {
    const name = `a cluster dump of ${d.pods.toLocaleString('en-US')} pods in ${d.namespaces.toLocaleString('en-US')} namespaces with ${d.policies.toLocaleString('en-US')} policies`;
    targets.push({ target: `verify --manifests ${name} at most 5 s`, value: `${d.ms} ms`, ok: d.ms <= 5000 });
    targets.push({ target: `verify --manifests ${name} peak RSS at most 2 GiB`, value: `${d.peakRssMiB} MiB`, ok: d.peakRssMiB <= 2048 });
    targets.push({ target: `verify --manifests ${name} clean`, value: d.ok ? 'clean' : 'DIFFERENCES', ok: d.ok });
  }
  for (const l of limit) {
    // Time: the median (other processes share the 2 cores; the minimum is printed beside it). Memory: the largest run.
    targets.push({ target: `cozynet ${l.command}, ${l.tenants} tenants, at most ${CLI_TARGET_MS / 1000} s`, value: `${l.msMedian} ms (min ${l.msMin} ms)`, ok: l.msMedian <= CLI_TARGET_MS });
    targets.push({ target: `cozynet ${l.command}, ${l.tenants} tenants, peak RSS at most 1 GiB`, value: `${l.rssMiBMax} MiB`, ok: l.rssMiBMax <= CLI_TARGET_MIB });
  }

  // A run of part of the sizes keeps the other part's earlier figures in results.json.
  const previous = fs.existsSync(path.join(__dirname, 'results.json')) ? JSON.parse(fs.readFileSync(path.join(__dirname, 'results.json'), 'utf8')) : {};
  const results = {
    node: process.version, cpus: os.cpus().length, repeat: REPEAT,
    synth: rows.length > 0 ? rows : previous.synth ?? [], verify: verify.length > 0 ? verify : previous.verify ?? [],
    verifyManifests: manifests.length > 0 ? manifests : previous.verifyManifests ?? [],
    verifyDump: dumps.length > 0 ? dumps : previous.verifyDump ?? [],
    limit: limit.length > 0 ? limit : previous.limit ?? [],
    defaultSynthMs,
    targets: [...targets, ...(previous.targets ?? []).filter((t) => !targets.some((n) => n.target === t.target))],
    loadAverage: os.loadavg().map((x) => +x.toFixed(1)),
  };
  fs.writeFileSync(path.join(__dirname, 'results.json'), JSON.stringify(results, undefined, 2) + '\n');

  const pad = (s, w) => String(s).padStart(w);
  console.log('| tenants | objects | files | synth ms | floor ms | synth/floor | peak RSS MiB |');
  console.log('|--------:|--------:|------:|---------:|---------:|------------:|-------------:|');
  for (const r of rows) {
    console.log(`| ${pad(r.tenants, 7)} | ${pad(r.objects, 7)} | ${pad(r.files, 5)} | ${pad(r.synthMs, 8)} | ${pad(r.floorMs, 8)} | ${pad(r.ratio + 'x', 11)} | ${pad(r.peakRssMiB, 12)} |`);
  }
  console.log('');
  if (verify.length > 0) {
    console.log('| verify tenants | endpoints |         checks | verify ms | CPU ms | peak RSS MiB |');
    console.log('|---------------:|----------:|---------------:|----------:|-------:|-------------:|');
    for (const v of verify) {
      console.log(`| ${pad(v.tenants, 14)} | ${pad(v.endpoints, 9)} | ${pad(v.checks, 14)} | ${pad(v.ms, 9)} | ${pad(v.cpuMs, 6)} | ${pad(v.peakRssMiB, 12)} |`);
    }
    console.log(`(load average while measuring: ${os.loadavg().map((x) => x.toFixed(1)).join(', ')} on ${os.cpus().length} cores)`);
  }
  if (manifests.length > 0) {
    console.log('| verify --manifests tenants | endpoints | verify ms | CPU ms | peak RSS MiB |');
    console.log('|---------------------------:|----------:|----------:|-------:|-------------:|');
    for (const v of manifests) console.log(`| ${pad(v.tenants, 26)} | ${pad(v.endpoints, 9)} | ${pad(v.ms, 9)} | ${pad(v.cpuMs, 6)} | ${pad(v.peakRssMiB, 12)} |`);
  }
  if (dumps.length > 0) {
    console.log('| verify --manifests of a cluster dump | namespaces | pods | policies | endpoints | verify ms | CPU ms | peak RSS MiB |');
    console.log('|:---|---:|---:|---:|---:|---:|---:|---:|');
    for (const d of dumps) console.log(`| ${d.files} JSON files | ${d.namespaces} | ${d.pods} | ${d.policies} | ${d.endpoints} | ${d.ms} | ${d.cpuMs} | ${d.peakRssMiB} |`);
  }
  if (limit.length > 0) {
    console.log('| tenants | command        | ms (median) | ms (min) | CPU ms (median) | peak RSS MiB (max) |');
    console.log('|--------:|:---------------|------------:|---------:|----------------:|-------------------:|');
    for (const l of limit) {
      console.log(`| ${pad(l.tenants, 7)} | ${l.command.padEnd(14)} | ${pad(l.msMedian, 11)} | ${pad(l.msMin, 8)} | ${pad(l.cpuMsMedian, 15)} | ${pad(l.rssMiBMax, 18)} |`);
    }
    console.log(`(load average, 1 min, after each run: ${limit.map((l) => `${l.command} ${l.load1.join('/')}`).join('; ')}; ${os.cpus().length} cores)`);
    console.log('');
  }
  console.log(`default platform, cozynet synth (CLI start included): ${defaultSynthMs} ms`);
  console.log('');
  for (const t of targets) console.log(`${t.ok ? 'PASS' : 'FAIL'}  ${t.target}: ${t.value}`);
  if (targets.some((t) => !t.ok)) process.exitCode = 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
