import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { CozynetValidationError } from '../model/errors';

/** The value of `generator` in every `index.json` cozynet writes: how an earlier output is recognized. @internal */
export const OUTPUT_GENERATOR = 'cozynet';

/** Top-level entries cozynet writes into an output folder (more are read from index.json). */
const OWN_TOP_LEVEL = ['index.json', 'manifests', 'helm', 'flux', 'terraform', 'topology.mmd'];

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

/**
 * Whether `dir` holds an earlier cozynet output, and if not, what is in the
 * way. A cozynet output has an `index.json` with `"generator": "cozynet"`
 * (or, from cozynet versions before the marker, the contract's `variant`,
 * `components` and `manifests` keys) and no top-level entry that cozynet
 * does not write.
 * @internal
 */
export function inspectOutputFolder(dir: string, ownTopLevel: Iterable<string> = []): { index?: any; foreign?: string } {
  const entries = fs.readdirSync(dir);
  if (entries.length === 0) return {};
  let index: any;
  try {
    const text = fs.readFileSync(path.join(dir, 'index.json'), 'utf8');
    index = JSON.parse(text);
  } catch {
    return { foreign: entries.includes('index.json') ? 'index.json (not written by cozynet)' : entries.sort()[0] };
  }
  const marked = index !== null && typeof index === 'object' && (index.generator === OUTPUT_GENERATOR
    || (typeof index.variant === 'string' && Array.isArray(index.components) && Array.isArray(index.manifests)));
  if (!marked) return { foreign: 'index.json (not written by cozynet)' };
  const known = new Set([...OWN_TOP_LEVEL, ...ownTopLevel, ...listedTopLevel(index)]);
  const foreign = entries.filter((e) => !known.has(e)).sort();
  return foreign.length > 0 ? { index, foreign: foreign[0] } : { index };
}

/** First path segments of every relative path that index.json lists. */
function listedTopLevel(index: any): string[] {
  const out: string[] = [];
  const walk = (v: any, depth: number) => {
    if (depth > 8) return;
    if (typeof v === 'string') {
      if (/^[a-zA-Z0-9][\w.-]*\/[\w./-]+$/.test(v) && !v.includes('..')) out.push(v.split('/')[0]);
    } else if (Array.isArray(v)) {
      for (const x of v.slice(0, 10000)) walk(x, depth + 1);
    } else if (v && typeof v === 'object') {
      for (const x of Object.values(v).slice(0, 10000)) walk(x, depth + 1);
    }
  };
  walk(index, 0);
  return out;
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
    refuse(outdir, `cannot create the lock file ${path.basename(file)} beside it (${e.code ?? e.message})`);
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
        if (e.code !== 'EEXIST') refuse(outdir, `cannot create the lock file ${path.basename(file)} beside it (${e.code ?? e.message})`);
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

/**
 * Checks that `outdir` may be replaced by a synth: not empty text, not the
 * working folder or one of its parents, not holding the platform file, not a
 * file or symbolic link. Returns the absolute target.
 * @internal
 */
export function checkOutputTarget(outdir: string, config?: string, ownTopLevel: Iterable<string> = []): string {
  if (typeof outdir !== 'string' || outdir.trim() === '') refuse(outdir, 'must name a folder');
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
    if (e.code !== 'ENOENT') refuse(outdir, `cannot be read (${e.code ?? e.message})`);
  }
  if (st?.isSymbolicLink()) refuse(outdir, 'is a symbolic link: name the folder itself');
  if (st && !st.isDirectory()) refuse(outdir, 'is a file, not a folder: synth writes a folder and replaces nothing else');
  if (st) refuseForeign(outdir, target, ownTopLevel);
  return target;
}

function refuseForeign(outdir: string, target: string, ownTopLevel: Iterable<string>): void {
  let found;
  try {
    found = inspectOutputFolder(target, ownTopLevel);
  } catch (e: any) {
    refuse(outdir, `cannot be read (${e.code ?? e.message})`);
  }
  if (found.foreign) {
    refuse(outdir, `is not empty and not an earlier cozynet output (${found.foreign} is in the way); synth replaces only folders it wrote: remove it or name another folder`);
  }
}

/**
 * Writes `files` as the folder `outdir`, atomically:
 *
 * - `outdir` is replaced only when it is absent, empty or an earlier
 *   cozynet output; never the working folder, one of its parents, the folder
 *   holding the platform file, or a file (CozynetValidationError naming
 *   `--out`).
 * - One synth at a time per folder: a lock file beside it; a second run
 *   fails with a CozynetValidationError while the first is alive, and takes
 *   a dead run's lock over.
 * - Everything is written to a temporary folder beside `outdir`, which
 *   replaces it by two renames (old out of the way, new in place) once every
 *   file is written; a failure leaves an earlier `outdir` as it was. Between
 *   the two renames (two system calls) `outdir` is absent.
 * - Temporary folders of killed runs are removed by the next run; only
 *   folders cozynet marked as its own.
 * @internal
 */
export function writeFolderAtomically(outdir: string, files: Map<string, string>, options: WriteFolderOptions = {}): void {
  const target = checkOutputTarget(outdir, options.config);
  const parent = path.dirname(target);
  const base = path.basename(target);
  try {
    fs.mkdirSync(parent, { recursive: true });
  } catch (e: any) {
    refuse(outdir, `its parent folder cannot be created (${e.code ?? e.message})`);
  }
  const unlock = lock(outdir, parent, base);
  let tmp: string | undefined;
  try {
    cleanLeftovers(parent, base);
    // re-check under the lock: another run may have replaced it meanwhile
    const own = new Set([...files.keys()].map((f) => f.split('/')[0]));
    checkOutputTarget(outdir, options.config, own);
    const exists = fs.existsSync(target);
    const previousIndex = exists ? inspectOutputFolder(target, own).index : undefined;
    options.beforeReplace?.(previousIndex, files);

    try {
      tmp = scratchDir(parent, base, 'tmp');
    } catch (e: any) {
      refuse(outdir, `cannot create a temporary folder beside it (${e.code ?? e.message})`);
    }
    for (const rel of [...files.keys()].sort()) {
      const file = path.join(tmp, rel);
      if (!isInside(file, tmp) || rel === TMP_MARKER) throw new Error(`output file name escapes the output folder: ${rel}`);
      try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, files.get(rel)!);
      } catch (e: any) {
        refuse(outdir, `cannot be written: ${rel} (${e.code ?? e.message})`);
      }
    }
    options.afterWrite?.(tmp);
    fs.rmSync(path.join(tmp, TMP_MARKER));

    if (!exists) {
      fs.renameSync(tmp, target);
      tmp = undefined;
      return;
    }
    const old = scratchDir(parent, base, 'old');
    fs.renameSync(target, path.join(old, 'previous'));
    try {
      fs.renameSync(tmp, target);
      tmp = undefined;
    } catch (e) {
      fs.renameSync(path.join(old, 'previous'), target);
      throw e;
    } finally {
      fs.rmSync(old, { recursive: true, force: true });
    }
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    unlock();
  }
}
