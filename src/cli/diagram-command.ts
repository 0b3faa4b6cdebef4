import * as fs from 'fs';
import * as path from 'path';
import { CozynetValidationError } from '../model/errors';
import { buildPlatform } from '../platform/build';
import { PlatformProps } from '../platform/platform';
import { mkdirError } from '../platform/safe-read';
import { renderDiagram } from '../render/diagram';

/**
 * `cozynet diagram`: builds the platform like `cozynet synth` and writes the
 * Mermaid flowchart of its topology to `outFile`, or to `io.out` when no
 * file is given. The file is replaced atomically (a temporary file beside it,
 * then a rename), so readers never see half a diagram; nothing is written
 * when the platform fails to build.
 * @internal
 */
export function diagramCommand(props: PlatformProps, outFile: string | undefined, io: { out(t: string): void }): void {
  if (outFile !== undefined) checkDiagramTarget(outFile);
  const text = renderDiagram(buildPlatform(props));
  if (outFile === undefined) {
    io.out(text);
    return;
  }
  writeFileAtomically(outFile, text);
}

/**
 * Writes `content` to `file` through a temporary file in the same folder and
 * a rename. The folder is created if missing. File system errors become a
 * `CozynetValidationError` naming `--out`.
 * @internal
 */
export function writeFileAtomically(file: string, content: string): void {
  const target = path.resolve(file);
  const dir = path.dirname(target);
  const tmp = path.join(dir, `.${path.basename(target)}.tmp-${process.pid}-${Date.now().toString(36)}`);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(tmp, content, { flag: 'wx' });
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // The folder itself is unusable: there is no temporary file to remove.
    }
    throw new CozynetValidationError([{
      path: '--out',
      value: CozynetValidationError.show(file),
      message: `cannot be written (${(e as any)?.code ? mkdirError(path.dirname(path.resolve(file)), e) : 'write failed'})`,
    }]);
  }
}

/** `--out` of `diagram` names a file: not empty, not a folder. */
function checkDiagramTarget(file: string): void {
  const refuse = (message: string): never => {
    throw new CozynetValidationError([{ path: '--out', value: CozynetValidationError.show(file), message }]);
  };
  if (file.trim() === '') refuse('must name a file such as topology.mmd');
  let st: fs.Stats | undefined;
  try {
    st = fs.statSync(file);
  } catch {
    st = undefined;
  }
  if (st?.isDirectory()) refuse('is a folder: name a file such as topology.mmd');
  if (st && !st.isFile()) refuse('is not a regular file');
}
