import * as fs from 'fs';
import { Command, CommanderError } from 'commander';
import { Construct } from 'constructs';
import { diagramCommand } from './diagram-command';
import { validateFolder } from './validate-command';
import { CozynetValidationError } from '../model/errors';
import { platformSchema, readPlatformFile } from '../platform/file';
import { Platform, PlatformProps, SynthesisSummary } from '../platform/platform';
import { MAX_CLUSTER_CONFIG_BYTES, parseClusterConfig } from '../render/cluster-settings';
import { collect } from '../render/collect';
import { validateObjects } from '../validation/object-validator';
import { formatVerifyReport } from '../verify/format';

/** Streams and exit code of one CLI run (injectable for tests). @internal */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Progress of long runs (one line, replaced as it goes); default: on a terminal only. */
  progress?(text: string): void;
}

/** Progress on an interactive terminal: one line, rewritten in place. */
function terminalProgress(): ((text: string) => void) | undefined {
  if (!process.stderr.isTTY || process.env.CI) return undefined;
  return (text) => process.stderr.write(`\r\x1b[K${text}`);
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/**
 * Loads the platform props from `--config` (or the embedded default
 * platform) and applies `--variant`.
 * @internal
 */
export function loadPlatformProps(config?: string, variant?: string): PlatformProps {
  const props: PlatformProps = config ? readPlatformFile(config) : {};
  return variant ? { ...props, variant } : props;
}

/** Builds a platform in a fresh construct tree. @internal */
export function buildPlatform(props: PlatformProps): Platform {
  return new Platform(new Construct(undefined as any, ''), 'platform', props);
}

/** An existing cluster configuration file (bounded read). */
function readClusterConfig(file: string): any[] {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(MAX_CLUSTER_CONFIG_BYTES + 1);
      text = buf.subarray(0, fs.readSync(fd, buf, 0, buf.length, null)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch (e: any) {
    throw new CozynetValidationError([{ path: '--cluster-config', value: CozynetValidationError.show(file), message: `cannot be read (${e?.code ?? e})` }]);
  }
  return parseClusterConfig(file, text);
}

function formatSummary(s: SynthesisSummary, ms: number): string {
  const kinds = Object.entries(s.objectsByKind).map(([k, n]) => `${n} ${k}`).join(', ');
  const notices = (s.notices ?? []).map((n) => `${n}\n`).join('');
  return `cozynet: wrote ${s.files.length} files to ${s.outdir}/ (${s.objectCount} objects: ${kinds}) in ${ms} ms\n${notices}`;
}

/**
 * Runs the `cozynet` command line. Returns the exit code.
 * @internal
 */
export function run(argv: string[], io: CliIo = defaultIo): number {
  let code = 0;
  const debug = argv.includes('--debug');
  const program = new Command('cozynet')
    .description('Synthesize and check the networking layer of a bare-metal Kubernetes platform')
    .option('--debug', 'show stack traces of errors')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program.command('synth')
    .description('synthesize the platform into an output folder (default: the embedded default platform into dist/)')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--variant <name>', "networking variant; overrides the file's variant")
    .option('--out <dir>', 'output folder', 'dist')
    .action((opts) => {
      const start = Date.now();
      const progress = io.progress ?? terminalProgress();
      progress?.('cozynet: building the platform');
      const platform = buildPlatform(loadPlatformProps(opts.config, opts.variant));
      io.err(formatSummary(platform._synthesize(opts.out, progress), Date.now() - start));
    });

  program.command('validate')
    .description('check a platform file (and every object it synthesizes), or the objects of an existing output folder, strictly against the bundled CRDs and Kubernetes schemas')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--cluster-config <file...>', 'existing Talos machine config, kubeadm configuration or k3s/RKE2 config: each mismatch with the platform file is an error')
    .argument('[dir]', 'an output folder to check instead')
    .action((dir: string | undefined, opts) => {
      if (dir) {
        const r = validateFolder(dir);
        if (r.problems.length > 0) {
          io.err(r.problems.map((p) => `invalid: ${p}\n`).join(''));
          io.err(`cozynet: ${r.problems.length} problems in ${dir}/ (${r.objects} objects in ${r.files} files)\n`);
          code = 1;
          return;
        }
        io.out(`cozynet: ${dir}/ is valid (${r.objects} objects in ${r.files} files)\n`);
        return;
      }
      const platform = buildPlatform(loadPlatformProps(opts.config));
      const clusterIssues = ((opts.clusterConfig ?? []) as string[]).flatMap((f) => platform._clusterConfigIssues(f, readClusterConfig(f)));
      if (clusterIssues.length > 0) throw new CozynetValidationError(clusterIssues);
      // every object of the output: manifests and Flux (values checks run in the same walk)
      const objects = collect(platform).manifests.flatMap((m) => m.objects);
      const problems = validateObjects(objects);
      if (problems.length > 0) {
        io.err(problems.map((p) => `invalid: ${p}\n`).join(''));
        code = 1;
        return;
      }
      io.out(`cozynet: ${opts.config ?? 'the default platform'} is valid (variant ${platform.variantName}, ${objects.length} objects checked)\n`);
    });

  program.command('diagram')
    .description('Mermaid flowchart of the synthesized topology (stdout, or --out FILE)')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--out <file>', 'file to write; default: stdout')
    .action((opts) => diagramCommand(loadPlatformProps(opts.config), opts.out, io));

  program.command('schema')
    .description('print the JSON Schema of the platform file (for editors: # yaml-language-server: $schema=…)')
    .action(() => {
      io.out(JSON.stringify(platformSchema(), undefined, 2) + '\n');
    });

  program.command('verify')
    .description('check offline that the tenant policies give exactly the intended reachability; exit 1 on any difference')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--format <format>', 'text or json', 'text')
    .action((opts) => {
      if (opts.format !== 'text' && opts.format !== 'json') {
        throw new CozynetValidationError([{ path: '--format', value: CozynetValidationError.show(opts.format), message: 'must be text or json' }]);
      }
      const platform = buildPlatform(loadPlatformProps(opts.config));
      const report = platform.verifyTenants();
      if (!report) {
        io.out(opts.format === 'json' ? '{"ok":true,"tenants":0}\n' : 'cozynet: the platform has no tenants; nothing to verify\n');
        return;
      }
      io.out(formatVerifyReport(report, opts.format));
      if (!report.ok) code = 1;
    });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    code = handleError(e, io, debug);
  }
  return code;
}

function handleError(e: unknown, io: CliIo, debug: boolean): number {
  if (e instanceof CommanderError) {
    return e.exitCode === 0 ? 0 : 1;
  }
  if (e instanceof CozynetValidationError) {
    io.err(`error: ${e.message}\n`);
    if (debug) io.err(`${e.stack}\n`);
    return 1;
  }
  const err = e as Error;
  io.err(`internal error: ${err?.message ?? String(e)}\n`);
  io.err(debug ? `${err?.stack}\n` : 'run again with --debug for details\n');
  return 2;
}

/** Entry point of bin/cozynet. @internal */
export function main(): void {
  process.exitCode = run(process.argv.slice(2));
}
