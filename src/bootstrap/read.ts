import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ChartFacts, PodSecurityLevel, Provider, remoteChartFacts, TOOL_FACTS, WorkloadFact } from './facts';
import { parsePlainYamlStream } from '../render/plain-yaml';

/**
 * Reads the three delivery paths of a synthesized output (relative path →
 * content) into steps: what each step applies and whether it waits.
 * @internal
 */

/** The delivery paths the model walks. @internal */
export type DeliveryPath = 'kubectl' | 'flux' | 'terraform';

/** A workload of a step (from a local chart's templates, or a remote chart's facts). @internal */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string;
  readonly hostNetwork: boolean;
  readonly level: PodSecurityLevel;
  /** Why it needs that level (the first privilege found), for messages. */
  readonly privilege?: string;
  readonly provides?: Provider;
  readonly labels: Record<string, string>;
  /** Secrets its pods mount (a pod does not start before they exist). */
  readonly secrets: string[];
  /** Where it was read (a file) or the fact it comes from. */
  readonly source: string;
  /** Release (step name) it belongs to. */
  readonly release: string;
}

/** A webhook of a step. @internal */
export interface Webhook {
  readonly kind: string;
  /** Configuration name and, for a configuration with several webhooks, `/webhook-name`. */
  readonly name: string;
  readonly failurePolicy: string;
  readonly namespaceSelector?: any;
  readonly objectSelector?: any;
  /** Rules: API groups and resources admitted on CREATE (`*` matches any). */
  readonly rules: { groups: string[]; resources: string[] }[];
  /** Service (namespace/name) that serves it, when read from an object. */
  readonly service?: { namespace: string; name: string };
  /** Workload that serves it, when known from a chart fact. */
  readonly servedBy?: string;
  /** `cert-manager.io/inject-ca-from`: cert-manager's cainjector writes its caBundle. */
  readonly injectCaFrom?: string;
  readonly release: string;
  readonly source: string;
}

/** What one release puts into the cluster. @internal */
export interface ReleaseContent {
  /** Objects applied as written (local charts); none for remote charts. */
  readonly objects: any[];
  readonly workloads: Workload[];
  /** `group/Kind` of the CRDs it installs (`group/*` for a whole group of a remote chart). */
  readonly crds: string[];
  /** CRD groups a workload registers when it runs. */
  readonly runtimeCrds?: { groups: string[]; by: string; source: string };
  readonly webhooks: Webhook[];
  /** A remote chart the model has no facts for. */
  readonly unknownChart?: string;
}

/** One step of a delivery path. @internal */
export interface Step {
  readonly path: DeliveryPath;
  /** Release name. */
  readonly name: string;
  /** File (and line, for the script) the step comes from. */
  readonly where: string;
  /** Namespace the release is installed in (must exist), if any. */
  readonly namespace?: string;
  /** Whether the step waits for its workloads to be Ready. */
  readonly waits: boolean;
  /** How long it waits (as the tool spells it). */
  readonly timeout?: string;
  /** Steps this one starts after (kubectl: the previous line; Flux: dependsOn; Terraform: depends_on). */
  readonly after: string[];
  /** How it is applied: `local chart charts/x` or `chart cilium 1.19.5`. */
  readonly chart: string;
  /** The local chart folder (charts/x), if local. */
  readonly local?: string;
  /** Whether a local chart is applied with Helm (Flux, Terraform) rather than `kubectl apply` with retries. */
  readonly helm: boolean;
  /** kubectl: how long the script's `apply` function retries (`10m`), read from its loop; undefined when unreadable. */
  readonly retry?: string;
  /** CRDs the script waits Established for right after this step. */
  readonly crdWaits: string[];
  /** Workloads a wait-only step waits Ready for (`kubectl rollout status`, `kubectl wait`). */
  readonly waitOn?: { kind: string; name: string; namespace?: string }[];
  readonly content: ReleaseContent;
  /** Problems reading the step (e.g. a chart path that is not in the output). */
  readonly problems: { code: string; message: string }[];
}

/** The output, parsed. @internal */
export interface ReadOutput {
  readonly variant: string;
  readonly files: Map<string, string>;
  readonly paths: Map<DeliveryPath, Step[]>;
  /** Every Namespace object of the output (name → labels). */
  readonly namespaces: Map<string, Record<string, string>>;
  /** What the output says the cluster runs already (index.json `assumes`): a preinstalled cert-manager's namespace. */
  readonly assumes: { certManager?: { namespace: string } };
}

/**
 * Parses multi-document YAML into plain objects (ignores empty documents).
 * What cozynet writes is read by its own plain reader (what it returns is
 * what the library reads, src/render/plain-yaml.ts); anything else by the
 * library.
 * @internal
 */
export function parseYamlDocs(text: string): any[] {
  const body = text.replace(/^\n+/, '');
  const plain = body.endsWith('\n') ? parsePlainYamlStream(body) : undefined;
  if (plain !== undefined) return plain.filter((v) => v !== null && v !== undefined);
  const out: any[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length > 0) throw new Error(d.errors[0].message.split('\n')[0]);
    const v = d.toJS({ maxAliasCount: 100 });
    if (v !== null && v !== undefined) out.push(v);
  }
  return out;
}

/** Kinds whose whole object the model reads (the others: apiVersion, kind, metadata; CRDs: group and kind). */
const READ_WHOLE = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'Pod', 'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration', 'Service', 'Certificate']);

/**
 * The objects of a chart template as the model reads them: a document of a
 * kind whose body the model needs is parsed whole; any other only for its
 * apiVersion, kind and metadata (and a CRD's group and kind), which keeps a
 * chart of 20,000 tenants' policies fast. A document that is not in the
 * block style cozynet writes is parsed whole.
 * @internal
 */
export function chartDocs(text: string): any[] {
  const out: any[] = [];
  for (const chunk of text.split(/^---[ \t]*$/m)) {
    if (chunk.trim() === '') continue;
    const kind = /^kind:[ \t]*([A-Za-z0-9]+)[ \t]*$/m.exec(chunk)?.[1];
    const apiVersion = /^apiVersion:[ \t]*([A-Za-z0-9./-]+)[ \t]*$/m.exec(chunk)?.[1];
    const meta = /^metadata:[ \t]*\n((?:[ \t]+\S.*(?:\n|$)|[ \t]*\n)*)/m.exec(chunk);
    if (!kind || !apiVersion || !meta || READ_WHOLE.has(kind) || /^(---|\.\.\.)/m.test(chunk)) {
      out.push(...parseYamlDocs(chunk));
      continue;
    }
    const metadata = parseYamlDocs(`metadata:\n${meta[1]}`)[0]?.metadata ?? {};
    const obj: any = { apiVersion, kind, metadata };
    if (kind === 'CustomResourceDefinition') {
      const names = /^ {2}names:[ \t]*\n((?: {4,}.*\n?)*)/m.exec(chunk)?.[1] ?? '';
      obj.spec = { group: /^ {2}group:[ \t]*(\S+)[ \t]*$/m.exec(chunk)?.[1], names: { kind: /^ {4}kind:[ \t]*(\S+)[ \t]*$/m.exec(names)?.[1] } };
    }
    out.push(obj);
  }
  return out;
}

/** Undoes the `{{ "{{" }}` escaping of cozynet's local charts. */
function unescapeTemplate(text: string): string {
  return text.split('{{ "{{" }}').join('{{');
}

/** `kubectl` resource names of the workload kinds. */
const KIND_ALIASES: Record<string, string> = {
  deployment: 'Deployment',
  deployments: 'Deployment',
  deploy: 'Deployment',
  daemonset: 'DaemonSet',
  daemonsets: 'DaemonSet',
  ds: 'DaemonSet',
  statefulset: 'StatefulSet',
  statefulsets: 'StatefulSet',
  sts: 'StatefulSet',
};

const POD_KINDS = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'Pod']);

/** The Pod Security level a pod spec needs, and the first privilege that raises it (Pod Security Standards). @internal */
export function podLevel(spec: any): { level: PodSecurityLevel; privilege?: string } {
  if (!spec || typeof spec !== 'object') return { level: 'restricted' };
  // baseline forbids: host namespaces, privileged, hostPath, hostPorts, added capabilities beyond the default set
  const BASELINE_CAPS = new Set(['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT']);
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  if (spec.hostNetwork === true) return { level: 'privileged', privilege: 'hostNetwork' };
  if (spec.hostPID === true) return { level: 'privileged', privilege: 'hostPID' };
  if (spec.hostIPC === true) return { level: 'privileged', privilege: 'hostIPC' };
  for (const c of containers) {
    if (c?.securityContext?.privileged === true) return { level: 'privileged', privilege: `privileged container ${c.name}` };
    for (const cap of c?.securityContext?.capabilities?.add ?? []) {
      if (!BASELINE_CAPS.has(String(cap))) return { level: 'privileged', privilege: `capability ${cap} (container ${c.name})` };
    }
    for (const p of c?.ports ?? []) if (p?.hostPort) return { level: 'privileged', privilege: `hostPort ${p.hostPort}` };
  }
  for (const v of spec.volumes ?? []) if (v?.hostPath) return { level: 'privileged', privilege: `hostPath volume ${v.name}` };
  // restricted additionally: runAsNonRoot, no privilege escalation, drop ALL, seccomp RuntimeDefault/Localhost
  const podNonRoot = spec.securityContext?.runAsNonRoot === true;
  const podSeccomp = spec.securityContext?.seccompProfile?.type;
  for (const c of containers) {
    const sc = c?.securityContext ?? {};
    const nonRoot = sc.runAsNonRoot ?? podNonRoot;
    const seccomp = sc.seccompProfile?.type ?? podSeccomp;
    if (sc.allowPrivilegeEscalation !== false) return { level: 'baseline', privilege: `allowPrivilegeEscalation not false (container ${c.name})` };
    if (nonRoot !== true) return { level: 'baseline', privilege: `runAsNonRoot not true (container ${c.name})` };
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) return { level: 'baseline', privilege: `capabilities not dropping ALL (container ${c.name})` };
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') return { level: 'baseline', privilege: `no seccompProfile RuntimeDefault (container ${c.name})` };
  }
  return { level: 'restricted' };
}

function podSpecOf(o: any): any {
  if (o.kind === 'Pod') return o.spec;
  if (o.kind === 'Job') return o.spec?.template?.spec;
  return o.spec?.template?.spec;
}

function podLabelsOf(o: any): Record<string, string> {
  return { ...(o.kind === 'Pod' ? o.metadata?.labels : o.spec?.template?.metadata?.labels) ?? {} };
}

/** The content of a local chart (its templates' objects). */
function localContent(objects: any[], release: string, namespace: string | undefined, file: string): ReleaseContent {
  const workloads: Workload[] = [];
  const webhooks: Webhook[] = [];
  const crds: string[] = [];
  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    const ns = o.metadata?.namespace ?? namespace ?? 'default';
    if (POD_KINDS.has(o.kind) && String(o.apiVersion).match(/^(apps\/v1|batch\/v1|v1)$/)) {
      const spec = podSpecOf(o) ?? {};
      const { level, privilege } = podLevel(spec);
      const secrets = (spec.volumes ?? []).map((v: any) => v?.secret?.optional === true ? undefined : v?.secret?.secretName).filter((s: any): s is string => typeof s === 'string');
      const labels = podLabelsOf(o);
      // cert-manager's controller, from a chart of the output (the labels of cert-manager's own chart)
      const certManager = labels['app.kubernetes.io/name'] === 'cert-manager' && labels['app.kubernetes.io/component'] === 'controller';
      workloads.push({
        kind: o.kind,
        name: String(o.metadata?.name),
        namespace: ns,
        hostNetwork: spec.hostNetwork === true,
        level,
        privilege,
        ...(certManager ? { provides: 'cert-manager' as const } : {}),
        labels,
        secrets,
        source: file,
        release,
      });
    } else if ((o.kind === 'ValidatingWebhookConfiguration' || o.kind === 'MutatingWebhookConfiguration') && String(o.apiVersion).startsWith('admissionregistration.k8s.io/')) {
      for (const w of o.webhooks ?? []) {
        webhooks.push({
          kind: o.kind,
          name: (o.webhooks ?? []).length > 1 ? `${o.metadata?.name}/${w?.name}` : String(o.metadata?.name),
          failurePolicy: w?.failurePolicy ?? 'Fail',
          namespaceSelector: w?.namespaceSelector,
          objectSelector: w?.objectSelector,
          rules: (w?.rules ?? []).filter((r: any) => (r?.operations ?? []).some((op: string) => op === 'CREATE' || op === '*'))
            .map((r: any) => ({ groups: (r.apiGroups ?? []).map(String), resources: (r.resources ?? []).map(String) })),
          service: w?.clientConfig?.service
            ? { namespace: String(w.clientConfig.service.namespace), name: String(w.clientConfig.service.name) }
            : undefined,
          injectCaFrom: o.metadata?.annotations?.['cert-manager.io/inject-ca-from'],
          release,
          source: file,
        });
      }
    } else if (o.kind === 'CustomResourceDefinition') {
      crds.push(`${o.spec?.group}/${o.spec?.names?.kind}`);
    }
  }
  return { objects, workloads, webhooks, crds };
}

function remoteContent(chart: string, values: any, release: string, namespace: string): ReleaseContent {
  const facts: ChartFacts | undefined = remoteChartFacts(chart, values, release);
  if (!facts) return { objects: [], workloads: [], webhooks: [], crds: [], unknownChart: chart };
  const ns = facts.namespace ?? namespace;
  const workloads = facts.workloads.map((w: WorkloadFact): Workload => ({
    kind: w.kind,
    name: w.name,
    namespace: ns,
    hostNetwork: w.hostNetwork,
    level: w.level,
    privilege: w.level === 'restricted' ? undefined : (w.hostNetwork ? 'hostNetwork' : 'host access'),
    provides: w.provides,
    labels: w.labels ?? {},
    secrets: [],
    source: w.source,
    release,
  }));
  const webhooks = facts.webhooks.map((h): Webhook => ({
    kind: h.kind,
    name: h.name,
    failurePolicy: h.failurePolicy,
    rules: [{ groups: h.apiGroups, resources: ['*'] }],
    servedBy: h.servedBy,
    release,
    source: h.source,
  }));
  return {
    objects: [],
    workloads,
    webhooks,
    crds: facts.crdGroups.map((g) => `${g}/*`),
    ...(facts.runtimeCrdGroups ? { runtimeCrds: facts.runtimeCrdGroups } : {}),
  };
}

/** Parsed local charts, by the files map they come from (one parse per output). */
const CHART_CACHE = new WeakMap<Map<string, string>, Map<string, { objects: any[]; file: string }>>();

/** The objects of a local chart folder of the output (its templates). */
function chartObjects(files: Map<string, string>, dir: string): { objects: any[]; file: string } | undefined {
  if (!files.has(`${dir}/Chart.yaml`)) return undefined;
  let cache = CHART_CACHE.get(files);
  if (!cache) CHART_CACHE.set(files, cache = new Map());
  const hit = cache.get(dir);
  if (hit) return { objects: hit.objects.map((o) => o), file: hit.file };
  let read: { objects: any[]; file: string };
  try {
    read = parseChart(files, dir);
  } catch (e: any) {
    // a template that is not YAML: the chart applies nothing the model can see (reported by validate)
    read = { objects: [], file: `${dir}/templates/ (cannot be parsed: ${String(e?.message ?? e).slice(0, 120)})` };
  }
  cache.set(dir, read);
  return read;
}

function parseChart(files: Map<string, string>, dir: string): { objects: any[]; file: string } {
  const objects: any[] = [];
  let first = `${dir}/templates/`;
  const templates = [...files.keys()].filter((f) => f.startsWith(`${dir}/templates/`) && /\.ya?ml$/.test(f)).sort();
  if (templates.length > 0) first = templates[0];
  for (const f of templates) objects.push(...chartDocs(unescapeTemplate(files.get(f)!)));
  return { objects, file: templates.length === 1 ? first : `${dir}/templates/` };
}

/** Splits one line of sh into words (single and double quotes, no expansions). */
function shWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '\'') {
      const end = line.indexOf('\'', i + 1);
      cur += line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      has = true;
    } else if (ch === '"') {
      const end = line.indexOf('"', i + 1);
      cur += line.slice(i + 1, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      has = true;
    } else if (ch === '\\' && line[i + 1] === '\'') {
      cur += '\'';
      i++;
    } else if (/\s/.test(ch)) {
      if (has || cur) words.push(cur);
      cur = '';
      has = false;
    } else if (ch === '#' && !has && cur === '') {
      break;
    } else {
      cur += ch;
    }
  }
  if (has || cur) words.push(cur);
  return words;
}

function optionOf(words: string[], name: string): string | undefined {
  const i = words.indexOf(name);
  return i >= 0 ? words[i + 1] : undefined;
}

function valuesFile(files: Map<string, string>, file: string | undefined): any {
  if (!file) return {};
  const text = files.get(file);
  if (text === undefined) return {};
  return parseYamlDocs(text)[0] ?? {};
}

/**
 * How long the script's `apply()` retries a local chart: its loop's count
 * (`[ "$n" -lt 60 ]`) times its pause (`sleep 10`), as `10m` or `90s`;
 * undefined when the function is not there or not in that shape.
 */
function applyRetry(lines: string[]): string | undefined {
  const start = lines.findIndex((l) => /^\s*apply\(\)\s*\{/.test(l));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^\}/.test(l));
  const body = lines.slice(start, end < 0 ? undefined : end).join('\n');
  const count = /\[\s*"?\$n"?\s+-lt\s+(\d+)\s*\]/.exec(body);
  const pause = /\bsleep\s+(\d+)\b/.exec(body);
  if (!count || !pause) return undefined;
  const total = Number(count[1]) * Number(pause[1]);
  return total % 60 === 0 ? `${total / 60}m` : `${total}s`;
}

/** The words of a kubectl command from its verb on (global flags such as `--namespace x` before it skipped). */
function kubectlVerb(words: string[]): string[] {
  let i = 1;
  while (i < words.length && words[i].startsWith('-')) {
    i += words[i].includes('=') || !['-n', '--namespace', '--context', '--kubeconfig', '--cluster', '--user', '-s', '--server'].includes(words[i]) ? 1 : 2;
  }
  return words.slice(i);
}

function readKubectl(files: Map<string, string>, problems: (code: string, m: string) => void): Step[] | undefined {
  const text = files.get('apply/kubectl.sh');
  if (text === undefined) return undefined;
  const steps: Step[] = [];
  const lines = text.split('\n');
  const retry = applyRetry(lines);
  let inFunction = false;
  /** Line index of the last wait line (consecutive ones are one step). */
  let lastLine = -2;
  lines.forEach((line, i) => {
    const where = `apply/kubectl.sh:${i + 1}`;
    if (/^\s*apply\(\)\s*\{/.test(line)) inFunction = true;
    if (inFunction) {
      if (/^\}/.test(line)) inFunction = false;
      return;
    }
    const words = shWords(line);
    if (words.length === 0) return;
    const prev = steps.length > 0 ? [steps[steps.length - 1].name] : [];
    if (words[0] === 'apply') {
      const [, name, dir] = words;
      const ns = optionOf(words, '--namespace');
      const read = chartObjects(files, dir);
      const stepProblems: Step['problems'] = [];
      if (!read) stepProblems.push({ code: 'chart-missing', message: `names the local chart ${dir}, which is not in the output` });
      steps.push({
        path: 'kubectl',
        name,
        where,
        namespace: ns,
        waits: false,
        after: prev,
        chart: `local chart ${dir}`,
        local: dir,
        helm: false,
        ...(retry ? { retry } : {}),
        crdWaits: [],
        content: localContent(read?.objects ?? [], name, ns, read?.file ?? dir),
        problems: stepProblems,
      });
    } else if (words[0] === 'kubectl' && kubectlVerb(words)[0] === 'wait' && words.some((w) => w.startsWith('crd/'))) {
      const last = steps[steps.length - 1];
      for (const crd of words.filter((w) => w.startsWith('crd/'))) if (last) (last.crdWaits as string[]).push(crd.slice(4));
    } else if (words[0] === 'kubectl' && (kubectlVerb(words)[0] === 'wait' || kubectlVerb(words).slice(0, 2).join(' ') === 'rollout status')) {
      // a step of its own that waits for workloads applied before it (consecutive wait lines are one step)
      const verb = kubectlVerb(words);
      const ns = optionOf(words, '-n') ?? optionOf(words, '--namespace') ?? words.find((w) => w.startsWith('--namespace='))?.slice('--namespace='.length);
      const targets = verb.slice(verb[0] === 'wait' ? 1 : 2).filter((w) => /^[a-z]+\/[^/]+$/.test(w)).map((w) => {
        const [k, n] = w.split('/');
        return { kind: KIND_ALIASES[k] ?? k, name: n, ...(ns ? { namespace: ns } : {}) };
      });
      const timeout = words.find((w) => w.startsWith('--timeout='))?.slice('--timeout='.length) ?? optionOf(words, '--timeout') ?? (verb[0] === 'wait' ? '30s' : undefined);
      const last = steps[steps.length - 1];
      const merge = last?.waitOn !== undefined && last.timeout === timeout && lastLine === i - 1;
      const waitOn = [...(merge ? last.waitOn! : []), ...targets];
      const step: Step = {
        path: 'kubectl',
        name: `wait ${waitOn.map((t) => `${t.kind}/${t.name}`).join(' ')}`,
        where: merge ? last.where : where,
        waits: true,
        timeout,
        after: merge ? last.after : prev,
        chart: `kubectl ${verb.slice(0, verb[0] === 'wait' ? 1 : 2).join(' ')}`,
        helm: false,
        crdWaits: [],
        waitOn,
        content: { objects: [], workloads: [], webhooks: [], crds: [] },
        problems: [],
      };
      if (merge) steps[steps.length - 1] = step;
      else steps.push(step);
      lastLine = i;
    } else if (words[0] === 'helm' && words[1] === 'upgrade' && words.includes('--install')) {
      const name = words[words.indexOf('--install') + 1];
      const source = words[words.indexOf('--install') + 2];
      const chartName = source.startsWith('oci://') ? source.replace(/\/$/, '').split('/').pop()! : source;
      const ns = optionOf(words, '--namespace') ?? 'default';
      const values = valuesFile(files, optionOf(words, '-f') ?? optionOf(words, '--values'));
      const waits = words.includes('--wait');
      steps.push({
        path: 'kubectl',
        name,
        where,
        namespace: ns,
        waits,
        timeout: waits ? optionOf(words, '--timeout') ?? '5m0s' : undefined,
        after: prev,
        chart: `chart ${chartName} ${optionOf(words, '--version') ?? ''}`.trim(),
        helm: true,
        crdWaits: [],
        content: remoteContent(chartName, values, name, ns),
        problems: [],
      });
    } else if (!['echo', 'set', 'cd', '#!/bin/sh'].includes(words[0]) && !line.startsWith('#')) {
      problems('script', `${where}: a line the model does not know: ${line.slice(0, 120)}`);
    }
  });
  return steps;
}

/** Path of the output inside the Flux GitRepository, when known (`./clusters/x`), for the chart path check. */
function normalRepoPath(p: string): string {
  const clean = path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
  return clean === '' || clean === '.' ? '.' : clean;
}

function readFlux(files: Map<string, string>, location: string | undefined): Step[] | undefined {
  const fluxFiles = [...files.keys()].filter((f) => f.startsWith('flux/') && /\.ya?ml$/.test(f)).sort();
  if (fluxFiles.length === 0) return undefined;
  const objects: { o: any; file: string }[] = [];
  for (const f of fluxFiles) for (const o of parseYamlDocs(files.get(f)!)) objects.push({ o, file: f });
  const oci = new Map<string, string>();
  for (const { o } of objects) if (o?.kind === 'OCIRepository') oci.set(`${o.metadata?.namespace}/${o.metadata?.name}`, String(o.spec?.url ?? '').replace(/\/$/, '').split('/').pop() ?? '');
  const steps: Step[] = [];
  for (const { o, file } of objects) {
    if (o?.kind !== 'HelmRelease') continue;
    const spec = o.spec ?? {};
    const name = String(o.metadata?.name);
    const ns = spec.targetNamespace ?? o.metadata?.namespace;
    const waits = spec.install?.disableWait !== true;
    const after = (spec.dependsOn ?? []).map((d: any) => String(d?.name));
    const problems: Step['problems'] = [];
    const chartSpec = spec.chart?.spec;
    // what a HelmRelease step is, whichever chart it installs
    const common = {
      path: 'flux' as const,
      name,
      where: file,
      namespace: ns,
      waits,
      timeout: spec.timeout ?? TOOL_FACTS.fluxTimeout,
      after,
      helm: true,
      crdWaits: [],
      problems,
    };
    if (chartSpec?.sourceRef?.kind === 'GitRepository') {
      const chartPath = normalRepoPath(String(chartSpec.chart ?? ''));
      const m = /^(.*?)\/?(charts\/[^/]+)$/.exec(chartPath);
      const dir = m ? m[2] : chartPath;
      const base = m ? (m[1] === '' ? '.' : m[1]) : '.';
      if (location !== undefined && base !== location) {
        problems.push({ code: 'flux-chart-path', message: `names the chart ./${chartPath} of GitRepository ${chartSpec.sourceRef.name}, but the output is at ./${location} of the repository: the chart path comes from delivery.flux.path (${base}), the output's place from --out (${location}); make them the same` });
      }
      const read = chartObjects(files, dir);
      if (!read) problems.push({ code: 'flux-chart-path', message: `names the chart ${chartSpec.chart}, whose folder ${dir} is not in the output` });
      steps.push({
        ...common,
        chart: `local chart ${dir} (GitRepository ${chartSpec.sourceRef.name}: ${chartSpec.chart})`,
        local: dir,
        content: localContent(read?.objects ?? [], name, ns, read?.file ?? dir),
      });
    } else {
      const chartName = chartSpec?.chart ?? oci.get(`${spec.chartRef?.namespace ?? o.metadata?.namespace}/${spec.chartRef?.name}`) ?? String(spec.chartRef?.name ?? '');
      steps.push({
        ...common,
        chart: `chart ${chartName}${chartSpec?.version ? ` ${chartSpec.version}` : ''}`,
        content: remoteContent(chartName, spec.values ?? {}, name, ns),
      });
    }
  }
  return steps;
}

function readTerraform(files: Map<string, string>): Step[] | undefined {
  const tf = [...files.keys()].filter((f) => f.startsWith('terraform/') && f.endsWith('.tf.json')).sort();
  if (tf.length === 0) return undefined;
  const steps: Step[] = [];
  for (const file of tf) {
    const doc = JSON.parse(files.get(file)!);
    const releases: Record<string, any> = doc?.resource?.helm_release ?? {};
    const nameOf = new Map(Object.entries(releases).map(([k, r]) => [`helm_release.${k}`, String(r.name)]));
    for (const r of Object.values(releases)) {
      const name = String(r.name);
      const ns = r.namespace ?? 'default';
      const waits = r.wait !== false;
      const timeout = r.timeout !== undefined ? `${r.timeout}s` : TOOL_FACTS.terraformTimeout;
      const after = (r.depends_on ?? []).map((d: string) => nameOf.get(d) ?? d);
      const chart = String(r.chart ?? '');
      const local = /^\$\{path\.module\}\/\.\.\/(charts\/[^/]+)$/.exec(chart);
      const problems: Step['problems'] = [];
      if (local || r.repository === undefined) {
        const dir = local ? local[1] : chart;
        const read = chartObjects(files, dir);
        if (!read) problems.push({ code: 'chart-missing', message: `names the chart ${chart}, which is not in the output` });
        steps.push({
          path: 'terraform',
          name,
          where: file,
          namespace: ns,
          waits,
          timeout,
          after,
          chart: `local chart ${dir}`,
          local: dir,
          helm: true,
          crdWaits: [],
          content: localContent(read?.objects ?? [], name, ns, read?.file ?? dir),
          problems,
        });
      } else {
        const values = Object.assign({}, ...((r.values ?? []) as string[]).map((v) => parseYamlDocs(String(v))[0] ?? {}));
        const chartName = chart.startsWith('oci://') ? chart.split('/').pop()! : chart;
        steps.push({
          path: 'terraform',
          name,
          where: file,
          namespace: ns,
          waits,
          timeout,
          after,
          chart: `chart ${chartName}${r.version ? ` ${r.version}` : ''}`,
          helm: true,
          crdWaits: [],
          content: remoteContent(chartName, values, name, ns),
          problems,
        });
      }
    }
  }
  return steps;
}

/**
 * Reads an output (relative path → content).
 * `location`: where the output folder is inside the Git repository Flux reads
 * (e.g. `clusters/staging/network`); undefined when unknown (then only the
 * chart folders are checked, not their prefix).
 * @internal
 */
export function readOutput(files: Map<string, string>, location?: string): { output: ReadOutput; problems: { code: string; message: string }[] } {
  const problems: { code: string; message: string }[] = [];
  let index: any = {};
  try {
    index = JSON.parse(files.get('index.json') ?? '{}');
  } catch {
    problems.push({ code: 'index', message: 'index.json cannot be parsed' });
  }
  const namespaces = new Map<string, Record<string, string>>();
  const chartDirs = new Set([...files.keys()].filter((f) => /^charts\/[^/]+\/Chart\.yaml$/.test(f)).map((f) => f.slice(0, -'/Chart.yaml'.length)));
  for (const dir of [...chartDirs].sort()) {
    let docs: any[];
    try {
      docs = chartObjects(files, dir)!.objects;
    } catch {
      continue;
    }
    for (const o of docs) {
      if (o?.apiVersion === 'v1' && o?.kind === 'Namespace' && typeof o.metadata?.name === 'string') {
        namespaces.set(o.metadata.name, { ...(o.metadata.labels ?? {}), 'kubernetes.io/metadata.name': o.metadata.name });
      }
    }
  }
  const paths = new Map<DeliveryPath, Step[]>();
  const k = readKubectl(files, (code, message) => problems.push({ code, message }));
  if (k) paths.set('kubectl', k);
  const fl = readFlux(files, location === undefined ? undefined : normalRepoPath(location));
  if (fl) paths.set('flux', fl);
  const tf = readTerraform(files);
  if (tf) paths.set('terraform', tf);
  const cmNs = index?.assumes?.certManager?.namespace;
  const assumes = typeof cmNs === 'string' && cmNs !== '' ? { certManager: { namespace: cmNs } } : {};
  return { output: { variant: String(index.variant ?? 'unknown'), files, paths, namespaces, assumes }, problems };
}
