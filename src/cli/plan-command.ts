import * as fs from 'fs';
import { checkBootstrap, formatPlan, planJson, readOutputFolder, repositoryLocation } from '../bootstrap';
import { DeliveryPath } from '../bootstrap/read';
import { CozynetValidationError } from '../model/errors';
import { Platform } from '../platform/platform';

/** Options of `cozynet plan`. @internal */
export interface PlanCommandOptions {
  readonly config?: string;
  readonly variant?: string;
  readonly path?: string;
  readonly format?: string;
  readonly out?: string;
}

const PATHS = ['kubectl', 'flux', 'terraform'];

/**
 * `cozynet plan`: the bootstrap model's walk of every delivery path, one line
 * per step. The platform file (or an output folder) comes from `--config` or
 * the positional argument. Returns the exit code (1 when a path does not
 * converge).
 * @internal
 */
export function planCommand(
  opts: PlanCommandOptions,
  io: { out(t: string): void; err(t: string): void },
  build: (config: string | undefined, variant: string | undefined) => Platform,
): number {
  if (opts.path !== undefined && !PATHS.includes(opts.path)) {
    throw new CozynetValidationError([{ path: '--path', value: CozynetValidationError.show(opts.path), message: `is not a delivery path (allowed: ${PATHS.join(', ')})` }]);
  }
  const format = opts.format ?? 'text';
  if (format !== 'text' && format !== 'json') {
    throw new CozynetValidationError([{ path: '--format', value: CozynetValidationError.show(format), message: 'is not a format (allowed: text, json)' }]);
  }
  let files: Map<string, string>;
  let location: string | undefined;
  const isDir = opts.config !== undefined && fs.existsSync(opts.config) && fs.statSync(opts.config).isDirectory();
  if (isDir) {
    if (opts.variant !== undefined) {
      throw new CozynetValidationError([{ path: '--variant', value: CozynetValidationError.show(opts.variant), message: 'applies to a platform file, not to an output folder' }]);
    }
    if (!fs.existsSync(`${opts.config}/index.json`)) {
      throw new CozynetValidationError([{ path: 'PATH', value: CozynetValidationError.show(opts.config), message: 'is a folder without index.json: give a cozynet output folder or a platform file' }]);
    }
    files = readOutputFolder(opts.config!);
    location = repositoryLocation(opts.out ?? opts.config!);
  } else {
    const platform = build(opts.config, opts.variant);
    files = platform._renderFiles();
    location = repositoryLocation(opts.out ?? 'dist');
  }
  const { report } = checkBootstrap(files, { location });
  const only = opts.path as DeliveryPath | undefined;
  io.out(format === 'json' ? planJson(report, only) : formatPlan(report, only));
  const failing = report.findings.filter((f) => !only || f.path === only || f.path === 'steady-state');
  return failing.length > 0 ? 1 : 0;
}
