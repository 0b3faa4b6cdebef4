import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes `files` as the folder `outdir`, atomically: everything goes to a
 * temporary folder beside `outdir`, which replaces `outdir` only once every
 * file is written. A failure leaves an earlier `outdir` exactly as it was.
 * @internal
 */
export function writeFolderAtomically(outdir: string, files: Map<string, string>): void {
  const target = path.resolve(outdir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    for (const rel of [...files.keys()].sort()) {
      const file = path.join(tmp, rel);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, files.get(rel)!);
    }
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  let old: string | undefined;
  if (fs.existsSync(target)) {
    old = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.old-`));
    fs.renameSync(target, path.join(old, 'previous'));
  }
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (old) fs.renameSync(path.join(old, 'previous'), target);
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    if (old) fs.rmSync(old, { recursive: true, force: true });
  }
}
