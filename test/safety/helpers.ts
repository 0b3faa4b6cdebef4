import { spawn, spawnSync, SpawnSyncReturns } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Construct } from 'constructs';
import { Platform, ValidationErrors } from '../../src';
import { run } from '../../src/cli/main';

export const ROOT = path.join(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'cli-child.ts');
/** tsx, by absolute URL: children may run in any working folder. */
const TSX = pathToFileURL(path.join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

/** Runs the CLI in this process. */
export function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

/** A fresh temporary folder. */
export function tmp(prefix = 'cozynet-safety-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Every entry below `dir` (files and folders, with a / suffix), sorted, with file contents hashed by length. */
export function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      const rel = path.relative(dir, p);
      if (e.isDirectory()) {
        out.push(`${rel}/`);
        walk(p);
      } else if (e.isSymbolicLink()) {
        out.push(`${rel} -> ${fs.readlinkSync(p)}`);
      } else if (!e.isFile()) {
        out.push(`${rel} (not a regular file)`); // a named pipe would block a read
      } else {
        out.push(`${rel} (${fs.readFileSync(p).toString('base64').length})`);
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** Runs `fn` with `dir` as the working folder. */
export function inDir<T>(dir: string, fn: () => T): T {
  const before = process.cwd();
  process.chdir(dir);
  try {
    return fn();
  } finally {
    process.chdir(before);
  }
}

/** The CLI in a child process (from the sources, through tsx). */
export function cliChild(args: string[], options: { cwd?: string; input?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', TSX, CHILD, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', input: options.input, env: { ...process.env, CI: '1' } });
}

/** Starts the CLI in a child process without waiting. */
export function cliChildAsync(args: string[], cwd: string = ROOT) {
  return spawn(process.execPath, ['--import', TSX, CHILD, ...args], { cwd, env: { ...process.env, CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The child-process command line, for shells. */
export function childCommand(): string {
  return `'${process.execPath}' --import '${TSX}' '${CHILD}'`;
}

/** The message of the CozynetValidationError that `new Platform(...)` throws for `props` (fails when it is accepted). */
export function refusal(props: any): string {
  try {
    new Platform(new Construct(undefined as any, ''), 'p', props);
  } catch (e) {
    expect(ValidationErrors.isValidationError(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('accepted');
}

/** Resolves true once `cond()` holds (polled every 2 ms), false after `ms`. */
export function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const start = Date.now();
    const tick = () => {
      if (cond()) return resolve(true);
      if (Date.now() - start > ms) return resolve(false);
      setTimeout(tick, 2);
    };
    tick();
  });
}
