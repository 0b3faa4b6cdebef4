import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CozynetValidationError } from '../model/errors';
import { kindOf, readUserFile } from '../platform/safe-read';

/** The value of `generator` in every `index.json` cozynet writes: how an earlier output is recognized. @internal */
export const OUTPUT_GENERATOR = 'cozynet';

/** File inside a temporary folder that marks it as cozynet's own scratch space. */
const TMP_MARKER = '.cozynet-tmp';

/** @internal */
export interface WriteFolderOptions {
  /** The platform file the output comes from (never replaced, nor the folder holding it). */
  readonly config?: string;
  /**
   * Called under the lock, before anything is replaced, with the parsed
   * `index.json` of the earlier output (undefined when `outdir` is absent or
   * empty). Throwing leaves everything as it was.
   */
  readonly beforeReplace?: (previousIndex: any | undefined, files: Map<string, string>) => void;
  /** Called between writing the temporary folder and the swap (tests: kill points). */
  readonly afterWrite?: (tmpdir: string) => void;
}

function refuse(outdir: string, message: string): never {
  throw new CozynetValidationError([{ path: '--out', value: CozynetValidationError.show(outdir), message }]);
}

function realpathOrSelf(p: string): string {
  // the longest existing prefix, resolved, plus the rest
  let head = p;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch {
      const parent = path.dirname(head);
      if (parent === head) return p;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The largest `index.json` read from an earlier output (cozynet writes far less). */
const MAX_INDEX_BYTES = 64 * 1024 * 1024;

/** How many entries of an earlier output are looked at before giving up (cozynet writes far fewer). */
const MAX_OUTPUT_ENTRIES = 200_000;

/**
 * `index.json` of a folder, read only when it is a regular file of a bounded
 * size (never through a symbolic link, never a named pipe or device).
 */
function readIndex(dir: string): { index?: any; problem?: string } {
  const file = path.join(dir, 'index.json');
  let st: fs.Stats;
  try {
    st = fs.lstatSync(file);
  } catch {
    return { problem: 'missing' };
  }
  if (!st.isFile()) return { problem: `${kindOf(st)}, not written by cozynet` };
  if (st.size > MAX_INDEX_BYTES) return { problem: `${st.size} bytes, larger than any cozynet writes` };
  let text: string;
  try {
    // never blocks: a file swapped for a named pipe after the lstat is refused, not waited on
    text = readUserFile(file, { field: 'index.json', limit: MAX_INDEX_BYTES, what: 'index.json' });
  } catch {
    return { problem: 'unreadable, or not a regular file' };
  }
  try {
    return { index: JSON.parse(text) };
  } catch {
    return { problem: 'not written by cozynet' };
  }
}

/** A relative path cozynet may have written: plain segments, no `..`, no absolute path. */
function isPlainRelative(p: unknown): p is string {
  return typeof p === 'string' && p.length > 0 && p.length < 4096 && !p.startsWith('/')
    && p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && !seg.includes('\\') && !seg.includes('\0'));
}

/**
 * What an earlier output says is cozynet's: the exact paths of its record
 * (`files` in index.json, written since cozynet 0.0.0 of issue 20). An output
 * of an older cozynet has no record: then its own lists (`manifests`,
 * `flux`, `terraform`, `clusterSettings`, `apply`, each component's values
 * and manifests; every file below a listed `charts/<name>` folder) and the
 * files the new synth writes count, path by path.
 */
function ownedPaths(index: any, next: Iterable<string>): { files: Set<string>; trees: string[] } {
  const files = new Set<string>(['index.json']);
  const trees: string[] = [];
  if (Array.isArray(index.files)) {
    for (const f of index.files.slice(0, MAX_OUTPUT_ENTRIES)) if (isPlainRelative(f)) files.add(f);
    return { files, trees };
  }
  for (const f of next) if (isPlainRelative(f)) files.add(f);
  files.add('topology.mmd');
  files.add('apply/kubectl.sh');
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v.slice(0, MAX_OUTPUT_ENTRIES) : []);
  for (const key of ['manifests', 'flux', 'terraform', 'clusterSettings', 'apply']) {
    for (const f of list(index[key])) if (isPlainRelative(f)) files.add(f);
  }
  for (const c of list(index.components) as any[]) {
    if (c === null || typeof c !== 'object') continue;
    if (isPlainRelative(c.values)) files.add(c.values);
    for (const f of list(c.manifests)) if (isPlainRelative(f)) files.add(f);
  }
  for (const folder of list(index.charts)) {
    if (isPlainRelative(folder) && /^charts\/[^/]+$/.test(folder)) trees.push(`${folder}/`);
  }
  return { files, trees };
}

/**
 * Whether `dir` holds an earlier cozynet output, and if not, what is in the
 * way. A cozynet output has an `index.json` with `"generator": "cozynet"`
 * (or, from cozynet versions before the marker, the contract's `variant`,
 * `components` and `manifests` keys), and every entry below it is a file
 * its record lists or a folder holding such files (see `ownedPaths`):
 * anything else, a symbolic link, a named pipe or a folder of the user's
 * included, is in the way, and the first such entry (sorted) is named.
 * `next` are the paths the new synth writes.
 * @internal
 */
export function inspectOutputFolder(dir: string, next: Iterable<string> = []): { index?: any; foreign?: string } {
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return {};
  const read = readIndex(dir);
  if (read.problem !== undefined) {
    return { foreign: read.problem === 'missing' ? entries.sort()[0] : `index.json (${read.problem})` };
  }
  const index = read.index;
  const marked = index !== null && typeof index === 'object' && !Array.isArray(index) && (index.generator === OUTPUT_GENERATOR
    || (typeof index.variant === 'string' && Array.isArray(index.components) && Array.isArray(index.manifests)));
  if (!marked) return { foreign: 'index.json (not written by cozynet)' };
  const foreign = firstForeign(dir, ownedPaths(index, next));
  return foreign !== undefined ? { index, foreign } : { index };
}

/** The first entry below `dir` (depth first, sorted) that is not cozynet's. */
function firstForeign(dir: string, owned: { files: Set<string>; trees: string[] }): string | undefined {
  const folders = new Set<string>();
  for (const f of owned.files) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/') + '/');
  }
  for (const t of owned.trees) folders.add(t.split('/')[0] + '/');
  const inTree = (rel: string) => owned.trees.some((t) => rel.startsWith(t));
  let seen = 0;
  const walk = (rel: string): string | undefined => {
    const names = fs.readdirSync(path.join(dir, rel)).sort();
    for (const name of names) {
      if (++seen > MAX_OUTPUT_ENTRIES) return `${rel}${name} (more entries than cozynet writes)`;
      const p = `${rel}${name}`;
      const st = fs.lstatSync(path.join(dir, p));
      if (st.isDirectory()) {
        if (!folders.has(`${p}/`) && !inTree(`${p}/`)) return `${p}/ (a folder cozynet did not write)`;
        const inner = walk(`${p}/`);
        if (inner !== undefined) return inner;
      } else if (!st.isFile()) {
        return `${p} (${kindOf(st)})`;
      } else if (!owned.files.has(p) && !inTree(p)) {
        return p;
      }
    }
    return undefined;
  };
  return walk('');
}

function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: any) {
    return e.code === 'EPERM';
  }
}

/**
 * Takes the lock `<parent>/.<name>.cozynet-lock` (a file holding the pid of
 * its owner). A lock whose owner is gone (a killed synth) is taken over.
 */
function lock(outdir: string, parent: string, base: string): () => void {
  const file = path.join(parent, `.${base}.cozynet-lock`);
  const mine = `${process.pid}\n`;
  // The lock file appears with its content in one step (a hard link of a
  // file already written), so no other run ever reads it empty and takes a
  // live lock for a dead one.
  const draft = `${file}.new-${process.pid}`;
  try {
    fs.writeFileSync(draft, mine);
  } catch (e: any) {
    fault(outdir, `cannot create the lock file ${path.basename(file)} beside it`, e);
  }
  const release = () => {
    // only our own lock: never one another run took over meanwhile
    if (readLock(file) === process.pid) fs.rmSync(file, { force: true });
  };
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        fs.linkSync(draft, file);
        return release;
      } catch (e: any) {
        if (e.code !== 'EEXIST') fault(outdir, `cannot create the lock file ${path.basename(file)} beside it`, e);
      }
      const owner = readLock(file);
      if (owner === undefined) continue; // released meanwhile
      if (Number.isNaN(owner) || (pidAlive(owner) && owner !== process.pid)) {
        const who = Number.isNaN(owner) ? 'holding a lock file that is not cozynet\'s' : `pid ${owner}`;
        refuse(outdir, `another cozynet synth (${who}) is writing this folder; try again when it is done (lock ${path.basename(file)})`);
      }
      // Stale: its owner was killed. Take it over by renaming it away; if
      // what was renamed is not the dead run's lock (another run took it
      // over and locked first), put it back and give way.
      const stale = `${file}.stale-${process.pid}`;
      try {
        fs.renameSync(file, stale);
      } catch {
        continue; // another run took it over first; try again
      }
      const taken = readLock(stale);
      if (taken !== owner) {
        try {
          fs.linkSync(stale, file);
        } catch {
          // a third run locked meanwhile: it holds the folder
        }
        fs.rmSync(stale, { force: true });
        refuse(outdir, `another cozynet synth (pid ${taken}) is writing this folder; try again when it is done (lock ${path.basename(file)})`);
      }
      fs.rmSync(stale, { force: true });
    }
  } finally {
    fs.rmSync(draft, { force: true });
  }
  refuse(outdir, `cannot take the lock ${path.basename(file)} beside it`);
}

/** The pid in a lock file; undefined when there is none, NaN when it holds no pid. */
function readLock(file: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return /^\d+\n?$/.test(text) ? parseInt(text, 10) : NaN;
}

/**
 * Removes what killed runs left beside `outdir`: temporary folders named
 * `.<name>.tmp-*` / `.<name>.old-*` that cozynet marked as its own (a marker
 * file, or an index.json it wrote). Called under the lock, so no live run
 * owns them. Anything else is left alone.
 */
function cleanLeftovers(parent: string, base: string): void {
  let entries: string[];
  try {
    entries = fs.readdirSync(parent);
  } catch {
    return;
  }
  // A run killed between its two renames left the earlier output in
  // `.<name>.old-*/previous` and no `<name>`: put the earlier output back.
  const target = path.join(parent, base);
  if (!fs.existsSync(target)) {
    for (const e of entries.filter((x) => x.startsWith(`.${base}.old-`)).sort()) {
      const previous = path.join(parent, e, 'previous');
      try {
        if (fs.existsSync(path.join(parent, e, TMP_MARKER)) && writtenByCozynet(previous)) {
          fs.renameSync(previous, target);
          break;
        }
      } catch {
        // leave it
      }
    }
  }
  // Lock drafts and renamed stale locks of runs killed while locking: small
  // files named with the pid of a run that is gone.
  const escapedBase = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const lockScratch = new RegExp(`^\\.${escapedBase}\\.cozynet-lock\\.(new|stale)-(\\d+)$`);
  for (const e of entries) {
    const m = lockScratch.exec(e);
    if (!m || Number(m[2]) === process.pid || pidAlive(Number(m[2]))) continue;
    try {
      if (fs.lstatSync(path.join(parent, e)).isFile()) fs.rmSync(path.join(parent, e), { force: true });
    } catch {
      // gone meanwhile
    }
  }
  // A run killed right after `mkdir` of its scratch folder, before the marker
  // was written, left an empty folder with exactly the name cozynet makes.
  const scratchName = new RegExp(`^\\.${escapedBase}\\.(tmp|old)-[0-9a-f]{12}$`);
  for (const e of entries) {
    if (!e.startsWith(`.${base}.tmp-`) && !e.startsWith(`.${base}.old-`)) continue;
    const p = path.join(parent, e);
    try {
      if (!fs.lstatSync(p).isDirectory()) continue;
      if (scratchName.test(e) && fs.readdirSync(p).length === 0) {
        fs.rmdirSync(p); // only ever removes an empty folder
        continue;
      }
      const ours = fs.existsSync(path.join(p, TMP_MARKER)) || writtenByCozynet(p)
        || (e.includes('.old-') && fs.readdirSync(p).every((x) => x === 'previous' || x === TMP_MARKER));
      if (ours) fs.rmSync(p, { recursive: true, force: true });
    } catch {
      // unreadable: not ours to judge
    }
  }
}

function writtenByCozynet(dir: string): boolean {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'))?.generator === OUTPUT_GENERATOR;
  } catch {
    return false;
  }
}

function scratchDir(parent: string, base: string, kind: 'tmp' | 'old'): string {
  for (;;) {
    const dir = path.join(parent, `.${base}.${kind}-${randomBytes(6).toString('hex')}`);
    try {
      fs.mkdirSync(dir); // mode 0777 minus the umask, like any folder the user makes
      fs.writeFileSync(path.join(dir, TMP_MARKER), `cozynet ${kind} folder of pid ${process.pid}\n`);
      return dir;
    } catch (e: any) {
      if (e.code !== 'EEXIST') throw e;
    }
  }
}

/** What a file-system error code means for the user, and what to do. */
function fsAdvice(code: string | undefined): string {
  switch (code) {
    case 'EROFS': return 'the file system is read-only: name a folder on a writable one';
    case 'EACCES': return 'permission denied: make the folder writable for this user, or name another folder';
    case 'EPERM': return 'operation not permitted: an immutable or append-only attribute (see lsattr; chattr -i/-a clears it), or a sticky folder of another user';
    case 'ENOSPC': return 'no space left on the device, or no free inodes (see df -h and df -i): free some, or name a folder on another file system';
    case 'EDQUOT': return 'the disk quota is exceeded: free some space, or name a folder on another file system';
    case 'EBUSY': return 'it is a mount point or in use: synth replaces --out as a whole by renaming, which a mount point does not allow; name a folder inside it';
    case 'EXDEV': return 'it is on another file system than its parent (a mount point): name a folder inside it';
    case 'EMFILE': case 'ENFILE': return 'too many open files: raise the limit (ulimit -n) or close other programs';
    case 'ENAMETOOLONG': return 'a path is too long: name a shorter folder';
    case 'ENOTDIR': return 'a part of the path is a file, not a folder';
    case 'ELOOP': return 'too many symbolic links in the path';
    case 'EIO': return 'an input/output error of the device';
    default: return code ?? 'unknown error';
  }
}

/**
 * The real reason a recursive mkdir failed: Node reports ENOENT for a
 * read-only or full file system; creating the first missing folder alone
 * (and removing it again) shows the error the system really gives.
 */
function realMkdirError(dir: string, e: any): any {
  if (e?.code !== 'ENOENT') return e;
  let missing = path.resolve(dir);
  for (let up = path.dirname(missing); up !== missing && !fs.existsSync(up); up = path.dirname(up)) missing = up;
  try {
    fs.mkdirSync(missing);
    fs.rmdirSync(missing);
  } catch (inner: any) {
    if (inner?.code && inner.code !== 'EEXIST') return inner;
  }
  return e;
}

/** Refuses with a file-system fault: what failed, why, and what the user can do (exit 1). */
function fault(outdir: string, what: string, e: any, tail = ''): never {
  const code = typeof e?.code === 'string' ? e.code : undefined;
  refuse(outdir, `${what}: ${fsAdvice(code)}${code ? ` (${code})` : ''}${tail}`);
}

/**
 * Checks that `outdir` may be replaced by a synth: not empty text, not the
 * working folder or one of its parents, not holding the platform file, not a
 * file, symbolic link or mount point, and absent, empty or an earlier
 * cozynet output of nothing but what it recorded. `next` are the paths the
 * new output has. Returns the absolute target.
 * @internal
 */
export function checkOutputTarget(outdir: string, config?: string, next: Iterable<string> = []): string {
  if (typeof outdir !== 'string' || outdir.trim() === '') refuse(outdir, 'must name a folder');
  if (outdir.includes('\0')) refuse(outdir, 'must not contain a NUL character');
  const target = path.resolve(outdir);
  const real = realpathOrSelf(target);
  const cwd = realpathOrSelf(process.cwd());
  if (isInside(cwd, real)) {
    refuse(outdir, real === cwd
      ? 'is the working folder: synth replaces --out as a whole; name a folder of its own such as dist'
      : 'is a parent of the working folder: synth replaces --out as a whole; name a folder of its own such as dist');
  }
  if (config) {
    const cfg = realpathOrSelf(path.resolve(config));
    if (isInside(cfg, real)) refuse(outdir, `holds the platform file ${config}: synth replaces --out as a whole; name a folder of its own such as dist`);
  }
  let st: fs.Stats | undefined;
  try {
    st = fs.lstatSync(target);
  } catch (e: any) {
    if (e.code !== 'ENOENT') fault(outdir, 'cannot be read', e);
  }
  if (st?.isSymbolicLink()) refuse(outdir, 'is a symbolic link: name the folder itself');
  if (st && !st.isDirectory()) refuse(outdir, 'is a file, not a folder: synth writes a folder and replaces nothing else');
  if (st && isMountPoint(target, st)) {
    refuse(outdir, `is a mount point: synth replaces --out as a whole by renaming, which a mount point does not allow; name a folder inside it, such as ${path.join(outdir, 'dist')}`);
  }
  if (st) refuseForeign(outdir, target, next);
  return target;
}

/** Whether a folder is the root of a mounted file system (another device than its parent). */
function isMountPoint(dir: string, st: fs.Stats): boolean {
  try {
    return fs.statSync(path.dirname(dir)).dev !== st.dev;
  } catch {
    return false;
  }
}

function refuseForeign(outdir: string, target: string, next: Iterable<string>): void {
  let found;
  try {
    found = inspectOutputFolder(target, next);
  } catch (e: any) {
    fault(outdir, 'cannot be read', e);
  }
  if (found.foreign) {
    refuse(outdir, `is not empty and not an earlier cozynet output (${found.foreign} is in the way); synth replaces only what it wrote (index.json records it): move that out, or name another folder`);
  }
}

/** A signal (SIGINT, SIGTERM, SIGHUP) that stopped an interruptible write. @internal */
export class WriteInterrupted extends Error {
  /**
   * @param signal the signal
   * @param outcome what `--out` holds now: `nothing` new (there was no
   *   earlier output, or the new one was not in place yet), the earlier
   *   output `restored`, or the new output `complete` (the signal came while
   *   the earlier output was being removed, which is not stopped half-way)
   */
  constructor(public readonly signal: NodeJS.Signals, public readonly outcome: 'nothing' | 'restored' | 'complete') {
    super(`interrupted by ${signal}: ${{
      nothing: 'nothing was written (an earlier output is as it was)',
      restored: 'the earlier output is back as it was',
      complete: 'the new output was already complete and is in place',
    }[outcome]}; no lock or temporary folder is left`);
    this.name = 'WriteInterrupted';
  }
}

/** A pause point of the write: the driver may stop there (a signal), by throwing into the steps. */
type Step = Generator<void, void, void>;

/**
 * Writes `files` as the folder `outdir`, atomically:
 *
 * - `outdir` is replaced only when it is absent, empty or an earlier
 *   cozynet output holding only the files its index.json records; never the
 *   working folder, one of its parents, the folder holding the platform
 *   file, a mount point or a file (CozynetValidationError naming `--out`).
 * - One synth at a time per folder: a lock file beside it; a second run
 *   fails with a CozynetValidationError while the first is alive, and takes
 *   a dead run's lock over.
 * - Everything is written to a temporary folder beside `outdir`, which
 *   replaces it by two renames (old out of the way, new in place) once every
 *   file is written; a failure leaves an earlier `outdir` as it was. Between
 *   the two renames (two system calls) `outdir` is absent.
 * - The earlier output is then taken apart by moving each entry into a
 *   scratch folder; an entry that cannot be moved (immutable, append-only,
 *   read-only, a mount point) puts everything back: the earlier output
 *   returns whole to `outdir` and the run fails with exit 1 saying why.
 * - File-system faults (no space, read-only, permissions) are
 *   CozynetValidationErrors saying what the user can do; temporary folders
 *   are removed.
 * - Temporary folders of killed runs are removed by the next run; only
 *   folders cozynet marked as its own.
 * @internal
 */
export function writeFolderAtomically(outdir: string, files: Map<string, string>, options: WriteFolderOptions = {}): void {
  const steps = writeSteps(outdir, files, options);
  while (!steps.next().done) {
    // no pause points in a synchronous write
  }
}

/** How many files are written between two pause points of an interruptible write. */
const FILES_PER_STEP = 4;

/**
 * `writeFolderAtomically`, stopping at a SIGINT, SIGTERM or SIGHUP: a
 * signal while the files are written, or between the swap and the removal
 * of the earlier output, restores the earlier output (or leaves nothing when
 * there was none), removes the lock and the temporary folders, and rejects
 * with `WriteInterrupted`. The CLI's synth uses it.
 * @internal
 */
export async function writeFolderInterruptibly(outdir: string, files: Map<string, string>, options: WriteFolderOptions = {}): Promise<void> {
  let caught: NodeJS.Signals | undefined;
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const handler = (signal: NodeJS.Signals) => { caught = caught ?? signal; };
  // tests: a pause (ms) at every pause point, so that a signal reliably lands in the write phase
  const pause = Number(process.env.COZYNET_TEST_WRITE_PAUSE_MS ?? 0);
  for (const s of signals) process.on(s, handler);
  try {
    const steps = writeSteps(outdir, files, options);
    let r = steps.next();
    while (!r.done) {
      await new Promise<void>((resolve) => (pause > 0 ? setTimeout(resolve, pause) : setImmediate(resolve)));
      r = caught ? steps.throw(new WriteInterrupted(caught, 'nothing')) : steps.next();
    }
    if (caught) throw new WriteInterrupted(caught, 'complete');
  } finally {
    for (const s of signals) process.off(s, handler);
  }
}

function* writeSteps(outdir: string, files: Map<string, string>, options: WriteFolderOptions): Step {
  const next = [...files.keys()];
  const target = checkOutputTarget(outdir, options.config, next);
  const parent = path.dirname(target);
  const base = path.basename(target);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e: any) {
    fault(outdir, 'its parent folder cannot be created', realMkdirError(parent, e));
  }
  const unlock = lock(outdir, parent, base);
  let tmp: string | undefined;
  try {
    cleanLeftovers(parent, base);
    // re-check under the lock: another run may have replaced it meanwhile
    checkOutputTarget(outdir, options.config, next);
    const exists = fs.existsSync(target);
    const previousIndex = exists ? inspectOutputFolder(target, next).index : undefined;
    options.beforeReplace?.(previousIndex, files);

    try {
      tmp = scratchDir(parent, base, 'tmp');
    } catch (e: any) {
      fault(outdir, 'a temporary folder cannot be created beside it', e);
    }
    let n = 0;
    for (const rel of [...files.keys()].sort()) {
      const file = path.join(tmp, rel);
      if (!isInside(file, tmp) || rel === TMP_MARKER || !isPlainRelative(rel)) throw new Error(`output file name escapes the output folder: ${rel}`);
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, files.get(rel)!);
      } catch (e: any) {
        fault(outdir, `cannot be written (${rel})`, e, '; the earlier output is unchanged');
      }
      if (++n % FILES_PER_STEP === 0) yield;
    }
    options.afterWrite?.(tmp);
    fs.rmSync(path.join(tmp, TMP_MARKER));
    yield;

    if (!exists) {
      try {
        fs.renameSync(tmp, target);
      } catch (e: any) {
        fault(outdir, 'cannot be created', e);
      }
      tmp = undefined;
      return;
    }
    let old: string;
    try {
      old = scratchDir(parent, base, 'old');
    } catch (e: any) {
      fault(outdir, 'a temporary folder cannot be created beside it', e, '; the earlier output is unchanged');
    }
    const previous = path.join(old, 'previous');
    try {
      try {
        fs.renameSync(target, previous);
      } catch (e: any) {
        fault(outdir, 'cannot be moved aside to be replaced', e, '; the earlier output is unchanged');
      }
      try {
        fs.renameSync(tmp, target);
        tmp = undefined;
      } catch (e: any) {
        fs.renameSync(previous, target);
        fault(outdir, 'cannot be replaced', e, '; the earlier output is unchanged');
      }
      // A signal here still finds the earlier output whole: put it back.
      try {
        yield;
      } catch (e) {
        tmp = unswap(target, previous, parent, base);
        throw e instanceof WriteInterrupted ? new WriteInterrupted(e.signal, 'restored') : e;
      }
      const stuck = takeApart(previous, path.join(old, 'trash'));
      if (stuck) {
        tmp = unswap(target, previous, parent, base);
        fault(outdir, `its earlier output cannot be removed (${stuck.rel})`, stuck.error,
          '; the earlier output is back as it was and nothing was written');
      }
    } finally {
      try {
        fs.rmSync(old, { recursive: true, force: true });
      } catch {
        // what is left is marked as cozynet's: the next run removes it
      }
    }
  } finally {
    if (tmp) {
      try {
        fs.rmSync(tmp, { recursive: true, force: true });
      } catch {
        // marked as cozynet's: the next run removes it
      }
    }
    unlock();
  }
}

/**
 * Puts the earlier output (`previous`) back in place of the new one; returns
 * the scratch folder now holding the new output, to be removed.
 */
function unswap(target: string, previous: string, parent: string, base: string): string {
  const back = scratchDir(parent, base, 'tmp');
  fs.renameSync(target, path.join(back, 'new'));
  fs.renameSync(previous, target);
  return back;
}

/**
 * Moves every entry below `dir` (children before their folder) into the
 * flat folder `trash`, then removes `trash` and `dir`. An entry that cannot
 * be moved (its folder or itself immutable or append-only, a read-only
 * mount, a mount point) stops it: every entry moved so far goes back where
 * it was, `dir` is whole again, and the entry and error are returned.
 */
function takeApart(dir: string, trash: string): { rel: string; error: any } | undefined {
  const order: string[] = [];
  const device = fs.statSync(dir).dev;
  let mount: string | undefined;
  const walk = (rel: string) => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      const st = fs.lstatSync(path.join(dir, p));
      if (st.dev !== device) mount = mount ?? p; // a file system mounted inside: cannot be moved away
      if (st.isDirectory()) walk(p);
      order.push(p);
    }
  };
  try {
    walk('');
    fs.mkdirSync(trash);
  } catch (error: any) {
    return { rel: '.', error };
  }
  if (mount !== undefined) return { rel: mount, error: { code: 'EBUSY' } };
  const moved: string[] = [];
  for (const rel of order) {
    try {
      fs.renameSync(path.join(dir, rel), path.join(trash, String(moved.length)));
      moved.push(rel);
    } catch (error: any) {
      for (let i = moved.length - 1; i >= 0; i--) fs.renameSync(path.join(trash, String(i)), path.join(dir, moved[i]));
      return { rel, error };
    }
  }
  try {
    fs.rmSync(trash, { recursive: true, force: true });
    fs.rmdirSync(dir);
  } catch {
    // only cozynet's scratch folder is left: the next run removes it
  }
  return undefined;
}
