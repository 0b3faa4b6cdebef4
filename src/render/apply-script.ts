import { DeliveryRelease } from './charts';
import { DeliveryTimeout, deliveryTimeout } from './timeout';

/** Single-quotes a word for POSIX sh. */
function q(word: string): string {
  return `'${word.replace(/'/g, '\'\\\'\'')}'`;
}

/**
 * The kubectl (and helm) path as a script, `apply/kubectl.sh`: every release
 * of the delivery plan in its order. A local chart is rendered with
 * `helm template` and applied with `kubectl apply --server-side` (retried
 * within the delivery timeout while the CRDs it needs register; its own
 * CustomResourceDefinitions are waited for until established); a chart from
 * a repository is installed with `helm upgrade --install --wait` and its
 * values file, without `--wait` when the release holds pods that need a pod
 * network a later release completes: its rollouts are then waited for with
 * `kubectl rollout status`, the host-network ones right after it, the others
 * after the release completing the pod network. Every wait takes the one
 * delivery timeout (`delivery.timeout`). Run from anywhere: it changes to the
 * output folder first.
 * @internal
 */
export function renderApplyScript(releases: DeliveryRelease[], timeout: DeliveryTimeout = deliveryTimeout(undefined)): string {
  const attempts = Math.max(1, Math.ceil(timeout.seconds / 10));
  const lines = [
    '#!/bin/sh',
    '# Written by cozynet: applies the whole layer with kubectl and helm, in dependency order',
    '# (the same releases and order as flux/releases.yaml and terraform/cdk.tf.json).',
    '# Needs kubectl and helm 3 with the target cluster as the current context:',
    '#   sh apply/kubectl.sh',
    'set -eu',
    'cd "$(dirname "$0")/.."',
    '',
    `# A local chart: rendered by helm, applied by kubectl; retried for up to ${timeout.text} (the`,
    '# delivery timeout) while the CRDs of the releases before it register (Cilium\'s operator',
    '# creates its own).',
    'apply() {',
    '  n=0',
    '  until helm template "$@" | kubectl apply --server-side --field-manager=cozynet -f -; do',
    '    n=$((n + 1))',
    `    [ "$n" -lt ${attempts} ] || { echo "cozynet: $1 could not be applied" >&2; exit 1; }`,
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
      for (const crd of r.crds ?? []) lines.push(`kubectl wait --for=condition=Established --timeout=${timeout.text} ${q(`crd/${crd}`)}`);
    } else if (r.remote) {
      const chart = r.remote.chart;
      const source = chart.isOci ? q(`${chart.repository.replace(/\/$/, '')}/${chart.name}`) : `${q(chart.name)} --repo ${q(chart.repository)}`;
      if (r.wait === false) {
        lines.push('# Not --wait: some of its pods need the pod network that a later release completes;');
        lines.push('# its host-network workloads are waited for here, the others once the pod network is up.');
      }
      const wait = r.wait === false ? '' : ' --wait';
      lines.push(`helm upgrade --install ${q(r.name)} ${source} --version ${q(chart.version)} --namespace ${q(r.namespace!)} -f ${q(`helm/${r.name}.values.yaml`)}${wait} --timeout ${timeout.text}`);
    }
    for (const w of r.rollouts ?? []) {
      lines.push(`kubectl --namespace ${q(w.namespace)} rollout status ${q(w.workload)} --timeout=${timeout.text}`);
    }
  }
  return lines.join('\n') + '\n';
}
