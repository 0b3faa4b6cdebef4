import { Command, CommanderError } from 'commander';
import { Construct } from 'constructs';
import { diagramCommand } from './diagram-command';
import { validateFolder } from './validate-command';
import { verifyCommand } from './verify-command';
import { CozynetValidationError } from '../model/errors';
import { platformSchema, readPlatformFile } from '../platform/file';
import { Platform, PlatformProps, SynthesisSummary } from '../platform/platform';
import { collect } from '../render/collect';
import { validateObjects } from '../validation/object-validator';

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

function formatSummary(s: SynthesisSummary, ms: number): string {
  const kinds = Object.entries(s.objectsByKind).map(([k, n]) => `${n} ${k}`).join(', ');
  return `cozynet: wrote ${s.files.length} files to ${s.outdir}/ (${s.objectCount} objects: ${kinds}) in ${ms} ms\n`;
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
    .description('check offline that the policies give exactly the intended reachability (tenants, exposures, entities), ' +
      'and that no tenant can open another with policies of its own; exit 1 on any difference')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--manifests <path...>', 'verify these YAML/JSON files or folders (Namespaces, CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, NetworkPolicy, kind: List) instead of the synthesized output')
    .option('--against <dir>', 'compare with an earlier output folder or manifest set: cells opened and closed; exit 1 when a path between tenants opens')
    .option('--explain <endpoint...>', 'SRC DST: the verdict for one cell and the policies and rules that decide it')
    .option('--port <port>', 'with --explain: PORT/PROTOCOL (e.g. 8443/TCP) or ICMP; default: the destination\'s probes')
    .option('--format <format>', 'text or json', 'text')
    .action((opts) => {
      code = verifyCommand(opts, io, (config) => buildPlatform(loadPlatformProps(config)));
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
