#!/usr/bin/env node
// Mutation testing of the security-critical core (`npm run mutation`).
//
// Runs StrykerJS once per group of test/mutation/groups.json (each group
// mutates a few source files and runs only the tests that pin them down, see
// stryker.config.mjs), incrementally: results are reused from
// test/mutation/incremental/<group>.json for mutants whose code and covering
// tests did not change. Then prints one line per source file and fails when
// any file scores below 90 %.
//
//   node scripts/mutation.js [--group NAME]... [--force] [--concurrency N]
//
// --group    only these groups (default: all but those marked "pending")
// --force    ignore the incremental files and test every mutant again
// --concurrency  Stryker workers (default 2)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const GROUPS = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'mutation', 'groups.json'), 'utf8'));
const MIN_SCORE = 90;

function parseArgs(argv) {
  const out = { groups: [], force: false, concurrency: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--group') out.groups.push(argv[++i]);
    else if (a === '--force') out.force = true;
    else if (a === '--concurrency') out.concurrency = argv[++i];
    else {
      console.error(`unknown argument ${JSON.stringify(a)}; usage: node scripts/mutation.js [--group NAME]... [--force] [--concurrency N]`);
      process.exit(1);
    }
  }
  for (const g of out.groups) {
    if (!GROUPS[g]) {
      console.error(`unknown group ${JSON.stringify(g)}; groups: ${Object.keys(GROUPS).join(', ')}`);
      process.exit(1);
    }
  }
  if (out.groups.length === 0) {
    // A group marked "pending" runs only when named.
    for (const [name, g] of Object.entries(GROUPS)) {
      if (g.pending) console.log(`mutation group ${name} skipped (pending: ${g.pending})`);
      else out.groups.push(name);
    }
  }
  return out;
}

/** Counts per file of a Stryker JSON report (mutation-testing-elements schema). */
function fileStats(report) {
  const rows = [];
  for (const [file, data] of Object.entries(report.files)) {
    const c = { file, mutants: 0, killed: 0, survived: 0, timeout: 0, noCoverage: 0, ignored: 0, errors: 0 };
    for (const m of data.mutants) {
      c.mutants++;
      if (m.status === 'Killed') c.killed++;
      else if (m.status === 'Survived') c.survived++;
      else if (m.status === 'Timeout') c.timeout++;
      else if (m.status === 'NoCoverage') c.noCoverage++;
      else if (m.status === 'Ignored') c.ignored++;
      else c.errors++; // CompileError, RuntimeError: not counted in the score
    }
    const valid = c.killed + c.timeout + c.survived + c.noCoverage;
    c.score = valid === 0 ? 100 : (100 * (c.killed + c.timeout)) / valid;
    rows.push(c);
  }
  return rows.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * Rewrites Stryker's incremental file so that it can be committed: no
 * absolute paths, only the first line of each status reason (Stryker keeps
 * whole stack traces), one mutant or test per line (readable diffs).
 * Stryker only needs sources, locations, statuses and test ids from it.
 */
function compactIncrementalFile(file) {
  if (!fs.existsSync(file)) return;
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  const clean = (text) => text.split('\n')[0]
    .replace(/[^\s'"()]*\.stryker-tmp\/sandbox-[^/]+\//g, '')
    .split(ROOT + path.sep).join('')
    .slice(0, 200);
  const at = (l) => [l?.start?.line ?? 0, l?.start?.column ?? 0, l?.end?.line ?? 0, l?.end?.column ?? 0];
  const byLocation = (a, b) => {
    const x = at(a.location);
    const y = at(b.location);
    for (let i = 0; i < 4; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return `${a.mutatorName} ${a.replacement}`.localeCompare(`${b.mutatorName} ${b.replacement}`);
  };
  for (const f of Object.values(data.files ?? {})) {
    for (const m of f.mutants ?? []) if (typeof m.statusReason === 'string') m.statusReason = clean(m.statusReason);
    f.mutants?.sort(byLocation);
  }
  for (const t of Object.values(data.testFiles ?? {})) t.tests?.sort((a, b) => a.name.localeCompare(b.name));
  data.projectRoot = '.';
  // Depth 0: the report, 1: files/testFiles, 2: one file, 3: its mutants/tests, 4: one mutant/test (one line).
  const format = (value, depth) => {
    if (value === null || typeof value !== 'object' || depth >= 4) return JSON.stringify(value);
    const indent = ' '.repeat(depth);
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      return '[\n' + value.map((v) => indent + ' ' + format(v, depth + 1)).join(',\n') + '\n' + indent + ']';
    }
    const keys = Object.keys(value);
    if (keys.length === 0) return '{}';
    return '{\n' + keys.map((k) => `${indent} ${JSON.stringify(k)}: ${format(value[k], depth + 1)}`).join(',\n') + '\n' + indent + '}';
  };
  fs.writeFileSync(file, format(data, 0) + '\n');
}

/** A `mutate` glob of groups.json (`*`, `**`) as a regular expression over repository paths. */
function globRegExp(glob) {
  const body = glob.split('**/').map((part) => part.split('*').map((t) => t.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')).join('(?:.*/)?');
  return new RegExp(`^${body}$`);
}

/**
 * Results of files the group no longer mutates (a file moved to another
 * group) are dropped from its incremental file: Stryker would otherwise carry
 * them into its report as if they had been tested again.
 */
function keepGroupFiles(file, mutate) {
  if (!fs.existsSync(file)) return;
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  const patterns = mutate.map(globRegExp);
  const stale = Object.keys(data.files ?? {}).filter((f) => !patterns.some((re) => re.test(f)));
  if (stale.length === 0) return;
  for (const f of stale) delete data.files[f];
  fs.writeFileSync(file, JSON.stringify(data));
  compactIncrementalFile(file);
}

/**
 * Stryker reuses the result of a surviving static mutant (one reached only
 * while modules load) even when new tests were added, because no test
 * "covers" it. Drop such results before a run, so they are tested again.
 */
function forgetStaticSurvivors(file) {
  if (!fs.existsSync(file)) return;
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  let dropped = 0;
  for (const f of Object.values(data.files ?? {})) {
    const keep = (f.mutants ?? []).filter((m) => !(m.static && (m.status === 'Survived' || m.status === 'NoCoverage')));
    dropped += (f.mutants ?? []).length - keep.length;
    f.mutants = keep;
  }
  if (dropped > 0) fs.writeFileSync(file, JSON.stringify(data));
}

function main() {
  const args = parseArgs(process.argv.slice(2));
  const strykerBin = path.join(ROOT, 'node_modules', '.bin', 'stryker');
  const rows = [];
  let failed = false;
  for (const group of args.groups) {
    console.log(`\n== mutation group ${group}: ${GROUPS[group].mutate.join(', ')}`);
    const report = path.join(ROOT, 'reports', 'mutation', `${group}.json`);
    fs.rmSync(report, { force: true });
    const incremental = path.join(ROOT, 'test', 'mutation', 'incremental', `${group}.json`);
    keepGroupFiles(incremental, GROUPS[group].mutate);
    forgetStaticSurvivors(incremental);
    const cli = ['run', 'stryker.config.mjs'];
    if (args.force) cli.push('--force');
    if (args.concurrency) cli.push('--concurrency', String(args.concurrency));
    const started = Date.now();
    const r = spawnSync(strykerBin, cli, { cwd: ROOT, stdio: 'inherit', env: { ...process.env, MUTATION_GROUP: group } });
    const seconds = Math.round((Date.now() - started) / 1000);
    compactIncrementalFile(incremental);
    if (!fs.existsSync(report)) {
      console.error(`mutation group ${group}: Stryker wrote no report (exit ${r.status}${r.signal ? `, ${r.signal}` : ''})`);
      failed = true;
      continue;
    }
    for (const row of fileStats(JSON.parse(fs.readFileSync(report, 'utf8')))) rows.push({ group, seconds, ...row });
    if (r.status !== 0) failed = true;
  }

  console.log('\nMutation score per file (killed + timeout over killed + timeout + survived + no coverage):');
  const header = ['file', 'mutants', 'killed', 'survived', 'timeout', 'no cov', 'ignored', 'errors', 'score', 'group (s)'];
  const table = rows.map((r) => [r.file, r.mutants, r.killed, r.survived, r.timeout, r.noCoverage, r.ignored, r.errors,
    `${r.score.toFixed(2)} %`, `${r.group} (${r.seconds})`].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  for (const t of table) console.log(line(t));
  const low = rows.filter((r) => r.score < MIN_SCORE);
  for (const r of low) console.error(`${r.file}: mutation score ${r.score.toFixed(2)} % is below ${MIN_SCORE} %`);
  if (low.length > 0 || failed) process.exit(1);
}

main();
