import { DeliveryRelease } from './charts';

/** Single-quotes a word for POSIX sh. */
function q(word: string): string {
  return `'${word.replace(/'/g, '\'\\\'\'')}'`;
}

/**
 * The kubectl (and helm) path as a script, `apply/kubectl.sh`: every release
 * of the delivery plan in its order. A local chart is rendered with
 * `helm template` and applied with `kubectl apply --server-side` (its
 * CustomResourceDefinitions are waited for until established); a chart from a
 * repository is installed with `helm upgrade --install --wait` and its values
 * file. Run from anywhere: it changes to the output folder first.
 * @internal
 */
export function renderApplyScript(releases: DeliveryRelease[]): string {
  const lines = [
    '#!/bin/sh',
    '# Written by cozynet: applies the whole layer with kubectl and helm, in dependency order',
    '# (the same releases and order as flux/releases.yaml and terraform/cdk.tf.json).',
    '# Needs kubectl and helm 3 with the target cluster as the current context:',
    '#   sh apply/kubectl.sh',
    'set -eu',
    'cd "$(dirname "$0")/.."',
    '',
    '# A local chart: rendered by helm, applied by kubectl; retried for up to two minutes',
    '# while the CRDs of the releases before it register (Cilium\'s operator creates its own).',
    'apply() {',
    '  n=0',
    '  until helm template "$@" | kubectl apply --server-side --field-manager=cozynet -f -; do',
    '    n=$((n + 1))',
    '    [ "$n" -lt 12 ] || { echo "cozynet: $1 could not be applied" >&2; exit 1; }',
    '    echo "cozynet: $1: retrying in 10s"',
    '    sleep 10',
    '  done',
    '}',
  ];
  for (const r of releases) {
    lines.push('', `echo ${q(`cozynet: ${r.name}`)}`);
    if (r.local) {
      const ns = r.namespace !== undefined ? ` --namespace ${q(r.namespace)}` : '';
      lines.push(`apply ${q(r.name)} ${q(r.local)}${ns}`);
      for (const crd of r.crds ?? []) lines.push(`kubectl wait --for=condition=Established --timeout=120s ${q(`crd/${crd}`)}`);
    } else if (r.remote) {
      const chart = r.remote.chart;
      const source = chart.isOci ? q(`${chart.repository.replace(/\/$/, '')}/${chart.name}`) : `${q(chart.name)} --repo ${q(chart.repository)}`;
      lines.push(`helm upgrade --install ${q(r.name)} ${source} --version ${q(chart.version)} --namespace ${q(r.namespace!)} -f ${q(`helm/${r.name}.values.yaml`)} --wait --timeout 10m`);
    }
  }
  return lines.join('\n') + '\n';
}
