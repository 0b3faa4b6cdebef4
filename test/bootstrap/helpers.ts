import { parseAllDocuments, stringify } from 'yaml';
import { PlatformProps } from '../../src';
import { bootstrapReport } from '../../src/bootstrap';
import { BootstrapOptions, BootstrapReport, Finding } from '../../src/bootstrap/model';
import { synth } from '../helpers/synth';

/** Every output file of a platform, Terraform included. */
export function outputOf(props: PlatformProps = {}): Map<string, string> {
  return new Map(synth(props, { terraform: true }).files);
}

export function report(files: Map<string, string>, options: BootstrapOptions = {}): BootstrapReport {
  return bootstrapReport(files, options);
}

/** The cluster runs cert-manager, and cert-manager's and Flux's namespaces are system namespaces. */
export const WITH_CERT_MANAGER: BootstrapOptions = {
  assume: {
    certManager: { namespace: 'cozy-cert-manager', labels: { 'cozystack.io/system': 'true' } },
    namespaceLabels: { 'cozy-fluxcd': { 'cozystack.io/system': 'true' } },
  },
};

export function findingsOf(r: BootstrapReport, path: Finding['path']): Finding[] {
  return r.findings.filter((f) => f.path === path);
}

function docs(text: string): any[] {
  return parseAllDocuments(text).map((d) => d.toJS()).filter((d) => d !== null && d !== undefined);
}

function yaml(list: any[]): string {
  return list.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
}

/** Rewrites every YAML object of the files matching `file` (and returns the files). */
export function editObjects(files: Map<string, string>, file: RegExp, edit: (o: any) => any): Map<string, string> {
  for (const [f, text] of [...files]) {
    if (!file.test(f)) continue;
    files.set(f, yaml(docs(text).map((o) => edit(o) ?? o)));
  }
  return files;
}

/** Sets Helm values of one remote release on all three paths. */
export function editValues(files: Map<string, string>, release: string, edit: (values: any) => void): Map<string, string> {
  const vf = `helm/${release}.values.yaml`;
  const v = docs(files.get(vf)!)[0] ?? {};
  edit(v);
  files.set(vf, yaml([v]));
  editObjects(files, /^flux\//, (o) => {
    if (o?.kind === 'HelmRelease' && o.metadata?.name === release) edit(o.spec.values ??= {});
    return o;
  });
  const tf = JSON.parse(files.get('terraform/cdk.tf.json')!);
  for (const r of Object.values<any>(tf.resource.helm_release)) {
    if (r.name !== release) continue;
    const values = docs(r.values[0])[0] ?? {};
    edit(values);
    r.values = [yaml([values])];
  }
  files.set('terraform/cdk.tf.json', JSON.stringify(tf, undefined, 2));
  return files;
}

/** Removes a release from all three paths (and every reference to it). */
export function dropRelease(files: Map<string, string>, release: string): Map<string, string> {
  const script = files.get('apply/kubectl.sh')!.split('\n');
  const out: string[] = [];
  let skipping = false;
  for (const line of script) {
    if (line.startsWith('echo ')) skipping = line === `echo 'cozynet: ${release}'`;
    if (!skipping) out.push(line);
  }
  files.set('apply/kubectl.sh', out.join('\n'));
  for (const [f, text] of [...files]) {
    if (!f.startsWith('flux/')) continue;
    const kept = docs(text).filter((o) => !(o?.kind === 'HelmRelease' && o.metadata?.name === release)).map((o) => {
      if (o?.kind === 'HelmRelease' && o.spec?.dependsOn) {
        o.spec.dependsOn = o.spec.dependsOn.filter((d: any) => d.name !== release);
        if (o.spec.dependsOn.length === 0) delete o.spec.dependsOn;
      }
      return o;
    });
    files.set(f, yaml(kept));
  }
  const tf = JSON.parse(files.get('terraform/cdk.tf.json')!);
  const releases = tf.resource.helm_release;
  for (const [k, r] of Object.entries<any>(releases)) {
    if (r.name === release) {
      delete releases[k];
      for (const other of Object.values<any>(releases)) {
        if (other.depends_on) other.depends_on = other.depends_on.filter((d: string) => d !== `helm_release.${k}`);
      }
    }
  }
  files.set('terraform/cdk.tf.json', JSON.stringify(tf, undefined, 2));
  return files;
}
