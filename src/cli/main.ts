import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Command, CommanderError } from 'commander';
import { readCluster } from './cluster-reader';
import { diagramCommand } from './diagram-command';
import { mtuCommand } from './mtu-command';
import { planCommand } from './plan-command';
import { validateFolder } from './validate-command';
import { verifyCommand } from './verify-command';
import { checkBootstrap, readOutputFolder, repositoryLocation } from '../bootstrap';
import { Finding } from '../bootstrap/model';
import { CozynetValidationError, ValidationIssue } from '../model/errors';
import { collectGarbageIfLarge, LARGE_RUN_OBJECTS } from '../model/memory';
import { buildPlatform, loadPlatformProps } from '../platform/build';
import { MAX_TENANTS } from '../platform/checks';
import { MAX_PLATFORM_FILE_BYTES, platformSchema } from '../platform/file';
import { disruptiveChanges } from '../platform/live-changes';
import { PlatformProps, SynthesisSummary } from '../platform/platform';
import { readUserFile } from '../platform/safe-read';
import { MAX_CLUSTER_CONFIG_BYTES, parseClusterConfig } from '../render/cluster-settings';
import { collect } from '../render/collect';
import { WriteFolderOptions, WriteInterrupted } from '../render/output';
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

/** @internal */
export { buildPlatform, loadPlatformProps };

/** Exit codes and limits, shown by `cozynet --help` (and in the README's Safety section). */
const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the input was wrong (platform file, flags, output folder in the way) or a
     verification failed; the message names the field path or file position
  2  a bug in cozynet (please report it; --debug shows the stack trace)
  128+N  synth stopped by signal N (130 SIGINT, 143 SIGTERM) while writing:
     the earlier output is back as it was, no lock or temporary folder left

synth replaces --out only when it is absent, empty or an earlier cozynet
output; never the working folder, its parents, the folder of the platform
file, or a file. Limits: platform file ${MAX_PLATFORM_FILE_BYTES / 1024 / 1024} MiB, ${MAX_TENANTS} tenants.
`;

/** The package version (package.json beside lib/ and src/). */
function version(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/**
 * The platform file of a command: `--config FILE` or a positional FILE
 * (the same file if both are given).
 */
function configOf(positional: string | undefined, opts: { config?: string }): string | undefined {
  if (positional !== undefined && opts.config !== undefined && path.resolve(positional) !== path.resolve(opts.config)) {
    throw new CozynetValidationError([{ path: 'PLATFORM', value: CozynetValidationError.show(positional), message: `and --config ${opts.config} name two platform files; give one` }]);
  }
  return positional ?? opts.config;
}

/** Loads the props, saying when an empty file stands for the default platform. */
function load(io: CliIo, config: string | undefined, variant?: string): PlatformProps {
  const props = loadPlatformProps(config, variant);
  if (config !== undefined && Object.keys(props).filter((k) => k !== 'variant' || variant === undefined).length === 0) {
    io.err(`cozynet: ${config} sets nothing: it means the default platform (variant ${variant ?? 'kubeovn-cilium'}, cluster defaults, no tenants)\n`);
  }
  return props;
}

/** An existing cluster configuration file (bounded read). */
function readClusterConfig(file: string): any[] {
  const text = readUserFile(file, { field: '--cluster-config', limit: MAX_CLUSTER_CONFIG_BYTES, what: 'the cluster configuration', allowPipe: true });
  return parseClusterConfig(file, text);
}

/** A bootstrap finding as a validation issue (synth's exit 1). */
function bootstrapIssue(f: Finding): ValidationIssue {
  return { path: 'bootstrap', value: '', message: f.message };
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
  const state = { code: 0 };
  const program = makeProgram(io, state, false);
  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    state.code = handleError(e, io, argv.includes('--debug'));
  }
  return state.code;
}

/**
 * `run` as the real command line runs it: `synth` stops cleanly at SIGINT,
 * SIGTERM or SIGHUP while it writes (the earlier output is restored, the
 * lock and temporary folders removed; exit 128 + the signal's number).
 * @internal
 */
export async function runInterruptible(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const state = { code: 0 };
  const program = makeProgram(io, state, true);
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    state.code = handleError(e, io, argv.includes('--debug'));
  }
  return state.code;
}

function makeProgram(io: CliIo, state: { code: number }, interruptible: boolean): Command {
  const program = new Command('cozynet')
    .description('Synthesize and check the networking layer of a bare-metal Kubernetes platform')
    .option('--debug', 'show stack traces of errors')
    .version(version(), '--version', 'print the version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .addHelpText('after', EXIT_CODES_HELP)
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program.allowExcessArguments(false);

  program.command('synth')
    .description('synthesize the platform into an output folder (default: the embedded default platform into dist/)')
    .argument('[platform]', 'platform file (YAML or JSON), like --config')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--variant <name>', "networking variant; overrides the file's variant")
    .option('--out <dir>', 'output folder; replaced only when absent, empty or an earlier cozynet output', 'dist')
    .option('--allow-disruptive', 'replace an earlier output even with changes a running cluster cannot take by an apply (variant, cluster CIDRs or domain, a release name or namespace)')
    .allowExcessArguments(false)
    .action((file: string | undefined, opts) => {
      const start = Date.now();
      const config = configOf(file, opts);
      const progress = io.progress ?? terminalProgress();
      progress?.('cozynet: building the platform');
      const platform = buildPlatform(load(io, config, opts.variant));
      const options: WriteFolderOptions = {
        config,
        beforeReplace: (previous, files) => {
          // the bootstrap model, before anything is replaced: an output that cannot converge is never written
          const boot = checkBootstrap(files, { location: repositoryLocation(opts.out) });
          if (boot.errors.length > 0) {
            progress?.('');
            throw new CozynetValidationError([...boot.errors.map(bootstrapIssue), {
              path: '--out', value: CozynetValidationError.show(opts.out), message: 'nothing was written: the output above cannot come up from an empty cluster (cozynet plan shows every step)',
            }]);
          }
          if (!previous) return;
          const next = JSON.parse(files.get('index.json') ?? '{}');
          const changes = disruptiveChanges(previous, next);
          if (changes.length === 0) return;
          if (opts.allowDisruptive) {
            io.err(changes.map((c) => `warning: ${CozynetValidationError.formatIssue(c)}\n`).join(''));
            return;
          }
          progress?.('');
          throw new CozynetValidationError([...changes, {
            path: '--out',
            value: CozynetValidationError.show(opts.out),
            message: 'holds an earlier output with the settings above; nothing was written. If no cluster runs that output (or you mean to migrate it), run again with --allow-disruptive',
          }]);
        },
      };
      if (interruptible) {
        return platform._synthesizeInterruptibly(opts.out, progress, options)
          .then((summary) => io.err(formatSummary(summary, Date.now() - start)));
      }
      io.err(formatSummary(platform._synthesize(opts.out, progress, options), Date.now() - start));
      return undefined;
    });

  program.command('validate')
    .description('check a platform file (and every object it synthesizes), or the objects of an existing output folder, strictly against the bundled CRDs and Kubernetes schemas')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--cluster-config <file...>', 'existing Talos machine config, kubeadm configuration or k3s/RKE2 config: each mismatch with the platform file is an error')
    .argument('[path]', 'an output folder to check (a folder), or a platform file (a file, like --config)')
    .allowExcessArguments(false)
    .action((given: string | undefined, opts) => {
      let dir: string | undefined;
      let file: string | undefined;
      if (given !== undefined) {
        let st: fs.Stats | undefined;
        try {
          st = fs.statSync(given);
        } catch {
          st = undefined;
        }
        if (!st) throw new CozynetValidationError([{ path: 'PATH', value: CozynetValidationError.show(given), message: 'does not exist: give an output folder or a platform file' }]);
        if (st.isDirectory()) dir = given;
        else file = given;
      }
      if (dir && opts.clusterConfig) {
        throw new CozynetValidationError([{ path: '--cluster-config', value: CozynetValidationError.show(opts.clusterConfig[0]), message: 'compares with a platform file (--config or PATH), not with an output folder' }]);
      }
      if (dir && opts.config) {
        throw new CozynetValidationError([{ path: 'PATH', value: CozynetValidationError.show(dir), message: 'is an output folder, and --config names a platform file: validate checks one of them at a time' }]);
      }
      if (dir) {
        const r = validateFolder(dir);
        if (fs.existsSync(path.join(dir, 'index.json'))) {
          const boot = checkBootstrap(readOutputFolder(dir), { location: repositoryLocation(dir) });
          r.problems.push(...boot.errors.map((f) => `bootstrap: ${f.message}`));
        }
        if (r.skipped.length > 0) {
          const shown = r.skipped.slice(0, 20).join(', ');
          io.err(`cozynet: skipped ${r.skipped.length} YAML files: ${shown}${r.skipped.length > 20 ? ', …' : ''}\n`);
        }
        if (r.objects === 0 && r.problems.length === 0) {
          throw new CozynetValidationError([{ path: 'DIR', value: CozynetValidationError.show(dir), message: 'holds no Kubernetes objects (no YAML file with apiVersion and kind): nothing to validate' }]);
        }
        if (r.problems.length > 0) {
          io.err(r.problems.map((p) => `invalid: ${p}\n`).join(''));
          io.err(`cozynet: ${r.problems.length} problems in ${dir}/ (${r.objects} objects in ${r.files} files)\n`);
          state.code = 1;
          return;
        }
        io.out(`cozynet: ${dir}/ is valid (${r.objects} objects in ${r.files} files)\n`);
        return;
      }
      const config = configOf(file, opts);
      const platform = buildPlatform(load(io, config));
      const clusterIssues = ((opts.clusterConfig ?? []) as string[]).flatMap((f) => platform._clusterConfigIssues(f, readClusterConfig(f)));
      if (clusterIssues.length > 0) throw new CozynetValidationError(clusterIssues);
      // every object of the output: manifests and the whole layer's Flux objects (values checks run in the same walk)
      const collected = collect(platform);
      const objects = platform._outputObjects(collected);
      const problems = validateObjects(objects);
      // large platforms: the validation's garbage is freed before rendering, and the rendering's before the bootstrap model
      collectGarbageIfLarge(objects.length, LARGE_RUN_OBJECTS);
      const files = platform._renderFiles(collected);
      collectGarbageIfLarge(objects.length, LARGE_RUN_OBJECTS);
      const boot = checkBootstrap(files);
      problems.push(...boot.errors.map((f) => `bootstrap: ${f.message}`));
      if (problems.length > 0) {
        io.err(problems.map((p) => `invalid: ${p}\n`).join(''));
        state.code = 1;
        return;
      }
      const checked = (opts.clusterConfig ?? []) as string[];
      const cluster = checked.length === 0 ? ''
        : `; cluster config ${checked.join(', ')} checked: ${checked.length === 1 ? 'it has' : 'they have'} what the layer needs of the cluster (the settings of cluster/)`;
      io.out(`cozynet: ${config ?? 'the default platform'} is valid (variant ${platform.variantName}, ${objects.length} objects checked)${cluster}\n`);
    });

  program.command('diagram')
    .description('Mermaid flowchart of the synthesized topology (stdout, or --out FILE)')
    .argument('[platform]', 'platform file (YAML or JSON), like --config')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--out <file>', 'file to write; default: stdout')
    .allowExcessArguments(false)
    .action((file: string | undefined, opts) => diagramCommand(load(io, configOf(file, opts)), opts.out, io));

  program.command('plan')
    .description('walk every delivery path (kubectl script, Flux, Terraform) from an empty cluster: one line per step, what it waits for, ' +
      'why it can become Ready then; exit 1 when a path does not converge')
    .argument('[platform]', 'platform file (YAML or JSON), like --config, or an output folder')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--variant <name>', "networking variant; overrides the file's variant")
    .option('--path <path>', 'only this delivery path: kubectl, flux or terraform')
    .option('--out <dir>', 'where synth writes (or wrote) the output, for the Flux chart path check', undefined)
    .option('--format <format>', 'text or json', 'text')
    .allowExcessArguments(false)
    .action((file: string | undefined, opts) => {
      state.code = planCommand({ ...opts, config: configOf(file, opts) }, io, (config, variant) => buildPlatform(load(io, config, variant)));
    });

  program.command('mtu')
    .description('the MTU of every layer, from the wire up to a tenant cluster\'s pod, with each overhead and its source; exit 1 when a set MTU does not fit')
    .argument('[platform]', 'platform file (YAML or JSON), like --config')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--variant <name>', "networking variant; overrides the file's variant")
    .option('--format <format>', 'text or json', 'text')
    .allowExcessArguments(false)
    .action((file: string | undefined, opts) => mtuCommand(load(io, configOf(file, opts), opts.variant), opts.format, io));

  program.command('schema')
    .description('print the JSON Schema of the platform file (for editors: # yaml-language-server: $schema=…)')
    .allowExcessArguments(false)
    .action(() => {
      io.out(JSON.stringify(platformSchema(), undefined, 2) + '\n');
    });

  program.command('verify')
    .description('check offline that the policies give exactly the intended reachability (tenants, exposures, entities), ' +
      'and that no tenant can open another with policies of its own; exit 1 on any difference')
    .argument('[platform]', 'platform file (YAML or JSON), like --config')
    .option('--config <file>', 'platform file (YAML or JSON)')
    .option('--manifests <path...>', 'verify these YAML/JSON files or folders (Namespaces, CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, NetworkPolicy, kind: List) instead of the synthesized output')
    .option('--against <dir>', 'compare with an earlier output folder or manifest set: cells opened and closed; exit 1 when a path between tenants opens')
    .option('--explain <endpoint...>', 'SRC DST: the verdict for one cell and the policies and rules that decide it')
    .option('--port <port>', 'with --explain: PORT/PROTOCOL (e.g. 8443/TCP) or ICMP; default: the destination\'s probes')
    .option('--explain-file <file>', 'answer every query of FILE in one run: one SRC DST [PORT/PROTOCOL] a line (# comments); exit 1 when an answer differs from the intention')
    .option('--matrix', 'who reaches whom on which ports, for any policy set (no tenant tree needed); with --against: the connectivity diff (exit 1 when it opens a connection)')
    .option('--cluster', 'verify the objects of a running cluster (read-only: get and list), through the current kubeconfig context')
    .option('--kubeconfig <file>', 'with --cluster: the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)')
    .option('--context <name>', 'with --cluster: the kubeconfig context (default: its current-context)')
    .option('--format <format>', 'text or json; with --matrix also csv, mermaid or dot', 'text')
    .option('--cilium-version <version>', 'judge by the policy semantics of this Cilium release: 1.19 (installed by cozynet, the default) or 1.20 ' +
      '(a NotIn namespace selector selects pods only; cilium/cilium#46949)')
    .allowExcessArguments(false)
    .action((file: string | undefined, opts) => {
      const { cluster, kubeconfig, context, ...rest } = opts;
      const verify = (read?: { objects: any[]; label: string }) => {
        state.code = verifyCommand({ ...rest, config: configOf(file, opts), cluster: read }, io, (config) => buildPlatform(load(io, config)));
      };
      if (!cluster) {
        for (const [flag, v] of [['--kubeconfig', kubeconfig], ['--context', context]] as const) {
          if (v !== undefined) throw new CozynetValidationError([{ path: flag, value: CozynetValidationError.show(v), message: 'only applies to --cluster' }]);
        }
        verify();
        return undefined;
      }
      if (opts.manifests !== undefined) {
        throw new CozynetValidationError([{ path: '--cluster', value: CozynetValidationError.show(opts.manifests.join(' ')), message: 'and --manifests name two inputs; give one' }]);
      }
      if (!interruptible) throw new Error('verify --cluster reads the cluster asynchronously: use runInterruptible');
      return readCluster({ kubeconfig, context, note: io.err }).then(verify);
    });

  return program;
}

function handleError(e: unknown, io: CliIo, debug: boolean): number {
  if (e instanceof CommanderError) {
    return e.exitCode === 0 ? 0 : 1;
  }
  if (e instanceof WriteInterrupted) {
    io.err(`cozynet: ${e.message}\n`);
    return 128 + (os.constants.signals[e.signal] ?? 0);
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
  void runInterruptible(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
