import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_FLUX_PATH } from './flux';
import { CozynetValidationError } from '../model/errors';

/*
 * Where the output folder lives inside the Git repository Flux reads.
 *
 * A Flux GitRepository's artifact is the whole repository, and a HelmRelease
 * whose chart comes from it names the chart by its path from the
 * repository's root (`chart: ./clusters/prod/network/charts/namespaces`). So
 * the path of the local charts is not a setting of its own: it is where
 * `synth --out` writes, seen from the root of the repository that holds it
 * (the nearest folder above it with a `.git` directory, or a `.git` file in a
 * worktree or submodule).
 */

/** `./a/b/` → `a/b`; `.`, `./` and `` → `.`. */
function clean(p: string): string {
  const c = p.replace(/^\.\//, '').replace(/\/+$/, '');
  return c === '' ? '.' : c;
}

/** The absolute path of `p` with the symbolic links of its existing part resolved. */
function realish(p: string): string {
  const abs = path.resolve(p);
  let existing = abs;
  const rest: string[] = [];
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing);
    if (parent === existing) return abs;
    rest.unshift(path.basename(existing));
    existing = parent;
  }
  return path.join(fs.realpathSync(existing), ...rest);
}

/**
 * The root of the Git repository holding `dir` (which need not exist yet):
 * the nearest folder at or above it with a `.git` entry; undefined outside any.
 * @internal
 */
export function gitRootOf(dir: string): string | undefined {
  for (let d = realish(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** `from` → `to` as a relative POSIX path (`.` when equal), or undefined when `to` is not inside `from`. */
function inside(from: string, to: string): string | undefined {
  const rel = path.relative(from, to);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}

/** How the Flux chart paths were chosen for an output folder. @internal */
export interface FluxPathChoice {
  /** The path of the output folder inside the GitRepository (`.` for its root). */
  readonly path: string;
  /** A line for the user when the path could only be assumed. */
  readonly notice?: string;
}

/**
 * The path of the output folder `outdir` inside the Git repository Flux
 * reads, for the chart paths of `flux/`: `delivery.flux.path` when given
 * (refused when `outdir` lies elsewhere in its Git repository), else where
 * `outdir` lies in its Git repository, else where it lies in the working
 * folder; else (outside both) the default `dist`, with a notice.
 * @throws CozynetValidationError naming `delivery.flux.path` and `--out` on a mismatch
 * @internal
 */
export function fluxPathFor(outdir: string, configured: string | undefined, cwd: string = process.cwd()): FluxPathChoice {
  const out = realish(outdir);
  const root = gitRootOf(out);
  const inRepo = root === undefined ? undefined : inside(root, out);
  if (configured !== undefined) {
    const want = clean(configured);
    if (inRepo !== undefined && inRepo !== want) {
      throw new CozynetValidationError([{
        path: 'delivery.flux.path',
        value: CozynetValidationError.show(configured),
        message: `does not match --out ${outdir}, which is ${inRepo === '.' ? 'the root' : `${inRepo}/`} of its Git repository: `
          + `Flux would look for the local charts at ./${want === '.' ? '' : `${want}/`}charts/, where the output is not. `
          + `Set delivery.flux.path: ${inRepo}, or write the output there with --out`,
      }]);
    }
    return { path: want };
  }
  if (inRepo !== undefined) return { path: inRepo };
  const inCwd = inside(realish(cwd), out);
  if (inCwd !== undefined) return { path: inCwd };
  return {
    path: DEFAULT_FLUX_PATH,
    notice: `cozynet: --out ${outdir} is in no Git repository and outside the working folder: flux/ assumes the output is ${DEFAULT_FLUX_PATH}/ of the GitRepository; set delivery.flux.path if it is elsewhere`,
  };
}
