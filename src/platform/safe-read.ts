import * as fs from 'fs';
import * as path from 'path';
import { CozynetValidationError } from '../model/errors';

/**
 * Reading a path a user gave (a platform file, manifests, an output folder's
 * index.json) without trusting what it is: a symbolic link to `/dev/zero`
 * would read forever, a FIFO without a writer would block forever, a device
 * or a huge file would exhaust memory.
 */

/** How long a pipe given as `--config` may keep its writer open without sending data (ms). @internal */
export const MAX_PIPE_WAIT_MS = 60_000;

/** Options of `readUserFile`. @internal */
export interface ReadUserFileOptions {
  /** The field or flag that named the file (`--config`, `--manifests`), used as the error path. */
  readonly field: string;
  /** At most this many bytes are read; a larger file is refused before reading. */
  readonly limit: number;
  /** What the file is, for messages ("the platform file"). */
  readonly what: string;
  /**
   * Accept a pipe (`--config <(sops -d …)`, `--config /dev/stdin`): read up
   * to `limit` bytes, waiting at most MAX_PIPE_WAIT_MS for data. Otherwise
   * only regular files are read.
   * @default false
   */
  readonly allowPipe?: boolean;
}

/** What kind of file system object `st` is, in words. @internal */
export function kindOf(st: fs.Stats): string {
  if (st.isSymbolicLink()) return 'a symbolic link';
  if (st.isFile()) return 'a file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a named pipe (FIFO)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function mib(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / 1024 / 1024} MiB` : `${bytes} bytes`;
}

/**
 * Reads a file a user named, as UTF-8: only a regular file (or a pipe when
 * `allowPipe`), at most `limit` bytes, opened without blocking (a FIFO
 * without a writer never hangs) and checked on the opened descriptor (no
 * race between a check and the open). Anything else is a
 * `CozynetValidationError` naming `field`, the path and what it is.
 * @internal
 */
export function readUserFile(file: string, opts: ReadUserFileOptions): string {
  const refuse = (message: string): never => {
    throw new CozynetValidationError([{ path: opts.field, value: CozynetValidationError.show(file), message }]);
  };
  let fd: number;
  try {
    // eslint-disable-next-line no-bitwise
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | (fs.constants.O_NOCTTY ?? 0));
  } catch (e: any) {
    return refuse(`cannot read ${opts.what} (${readError(e)})`);
  }
  try {
    const st = fs.fstatSync(fd);
    const pipe = st.isFIFO();
    if (!st.isFile() && !(pipe && opts.allowPipe)) {
      refuse(`is ${kindOf(st)}, not a regular file: ${opts.what} must be a regular file`);
    }
    if (st.isFile() && st.size > opts.limit) {
      refuse(`${opts.what} is ${st.size} bytes, larger than ${mib(opts.limit)} (the limit)`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.alloc(64 * 1024);
    let waited = 0;
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (e: any) {
        if (e.code === 'EAGAIN' && pipe && waited < MAX_PIPE_WAIT_MS) {
          sleep(5);
          waited += 5;
          continue;
        }
        if (e.code === 'EAGAIN') refuse(`sent no data for ${MAX_PIPE_WAIT_MS / 1000} s`);
        return refuse(`cannot read ${opts.what} (${readError(e)})`);
      }
      if (n === 0) break;
      total += n;
      if (total > opts.limit) refuse(`${opts.what} is larger than ${mib(opts.limit)} (the limit)`);
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    // A FIFO without a writer reads as empty at once; an empty platform file
    // means the default platform, which a pipe that sent nothing should not.
    if (pipe && total === 0) refuse(`is a pipe that sent nothing (a FIFO without a writer?): ${opts.what} must come from a regular file or a pipe that sends it`);
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

/** An error of a read in words: the code and what it means for the user. @internal */
export function readError(e: any): string {
  const code = e?.code;
  switch (code) {
    case 'ENOENT': return 'ENOENT: no such file';
    case 'EACCES': return 'EACCES: permission denied';
    case 'EISDIR': return 'EISDIR: is a folder';
    case 'ELOOP': return 'ELOOP: too many symbolic links';
    case 'ENOTDIR': return 'ENOTDIR: a part of the path is not a folder';
    case 'EIO': return 'EIO: input/output error of the device';
    case 'EROFS': return 'EROFS: the file system is read-only';
    case 'ENOSPC': return 'ENOSPC: no space left on the device';
    case 'EDQUOT': return 'EDQUOT: disk quota exceeded';
    case 'EPERM': return 'EPERM: operation not permitted (an immutable file or folder?)';
    case 'EBUSY': return 'EBUSY: busy (a mount point?)';
    default: return String(code ?? e?.message ?? e);
  }
}

/**
 * The real reason `fs.mkdirSync(dir, { recursive: true })` failed: Node
 * reports ENOENT when a missing folder cannot be made on a read-only file
 * system; making the first missing folder alone gives the real code
 * (EROFS, EACCES). Returns the error in words (see `readError`).
 * @internal
 */
export function mkdirError(dir: string, e: any): string {
  if (e?.code !== 'ENOENT') return readError(e);
  let missing = path.resolve(dir);
  // the first missing folder below an existing one
  for (let parent = path.dirname(missing); parent !== missing && !fs.existsSync(parent); parent = path.dirname(parent)) missing = parent;
  try {
    fs.mkdirSync(missing);
    fs.rmdirSync(missing);
  } catch (inner: any) {
    if (inner?.code && inner.code !== 'EEXIST') return readError(inner);
  }
  return readError(e);
}
