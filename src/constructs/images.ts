import { fail } from '../model/errors';

/**
 * Cilium agent image: the reference platform's build of Cilium 1.19.5
 * (packages/system/cilium/images/cilium), pinned by digest. Why patched: with
 * the host firewall on and the IPv6 datapath off, stock Cilium drops all node
 * IPv6 (neighbour discovery, BGP over link-local) as an unknown L3 protocol;
 * the patch hands it to the kernel instead.
 */
export const CILIUM_IMAGE = 'ghcr.io/cozystack/cozystack/cilium:v1.6.0@sha256:136a7dfff4d6adcd448424c2354144160028a8e96eb6558b917fd3ee6d7b39fe';

/** The stock Cilium image of the 1.19.5 chart (what `images.cilium` can name to run upstream). */
export const UPSTREAM_CILIUM_IMAGE = 'quay.io/cilium/cilium:v1.19.5@sha256:20fbbc14ac20b55a292c0dcda5571bf31cde30a7dbc68c29db3e709390ab0732';

/**
 * Kube-OVN image: the reference platform's build of Kube-OVN v1.15.10
 * (packages/system/kubeovn/images/kubeovn), pinned by digest. Why patched: it
 * keeps a live-migrated VM's port-group memberships (its network policy and
 * port security) when the old virt-launcher pod is cleaned up.
 */
export const KUBE_OVN_IMAGE = 'ghcr.io/cozystack/cozystack/kubeovn:v1.15.10@sha256:741299cbd0081a786a6b60c460fa3156b3a42a38141c559dd8ac031f50c5504f';

/** The stock Kube-OVN image of the v1.15.10 chart. */
export const UPSTREAM_KUBE_OVN_IMAGE = 'docker.io/kubeovn/kube-ovn:v1.15.10';

/**
 * Multus image (thick plugin v4.3.0, `/usr/src/multus-cni/bin/install_multus`
 * and `multus-daemon`, plus the reference CNI plugins in `/cni-plugins`): the
 * reference platform's build (packages/system/multus/images/multus-cni),
 * pinned by digest. Why patched: a CNI DEL whose ADD never finished returns
 * success, so a pod recreated with the same name does not hang.
 */
export const PATCHED_MULTUS_IMAGE = 'ghcr.io/cozystack/cozystack/multus-cni:v1.6.0@sha256:0a92e861ead179dd6b46f475fd8878d44b3cfa40ce4d7a8ff92f790d54250d25';

/** The stock Multus thick-plugin image v4.3.0 (facts §7). */
export const UPSTREAM_MULTUS_IMAGE = 'ghcr.io/k8snetworkplumbingwg/multus-cni:v4.3.0-thick';

/**
 * The images of the networking layer's own components (platform file key
 * `images`). By default the reference platform's patched builds, pinned by
 * digest; name stock upstream images here to run those instead (e.g.
 * `quay.io/cilium/cilium:v1.19.5`). Each must carry a tag, a digest or both.
 */
export interface ImagesProps {
  /**
   * Cilium agent image (written as the chart's `image.repository`,
   * `image.tag`, `image.digest`, `image.useDigest`).
   * @default CILIUM_IMAGE (patched: node IPv6 passes the host firewall with the IPv6 datapath off)
   */
  readonly cilium?: string;

  /**
   * Kube-OVN image, with a tag (the kube-ovn chart writes
   * `<global.registry.address>/<global.images.kubeovn.repository>:<tag>`;
   * a digest goes after the tag).
   * @default KUBE_OVN_IMAGE (patched: a live-migrated VM keeps its port groups)
   */
  readonly kubeovn?: string;

  /**
   * Multus thick-plugin image (same as `components.multus.image`; set one).
   * @default PATCHED_MULTUS_IMAGE (patched: a CNI DEL after an unfinished ADD succeeds)
   */
  readonly multus?: string;
}

/** An image reference split the way Helm charts take it. @internal */
export interface ImageParts {
  /** Everything before the tag: `registry/path/name`. */
  readonly repository: string;
  readonly tag?: string;
  /** `sha256:<hex>`. */
  readonly digest?: string;
}

const REFERENCE = /^[a-z0-9][a-z0-9._\-/:]*[a-z0-9](?::[\w][\w.-]{0,127})?(?:@sha256:[0-9a-f]{64})?$/;

/**
 * Checks an image reference (a tag or a digest or both) and splits it.
 * @internal
 */
export function parseImage(value: unknown, field: string): ImageParts {
  const last = typeof value === 'string' ? value.split('@')[0].split('/').pop()! : '';
  if (typeof value !== 'string' || value.length > 512 || !REFERENCE.test(value) || !(last.includes(':') || value.includes('@'))) {
    fail(field, value, 'must be a container image reference with a tag, a digest or both, such as quay.io/cilium/cilium:v1.19.5 or registry.example/cilium@sha256:<64 hex digits>');
  }
  const [name, digest] = value.split('@');
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  const hasTag = colon > slash;
  return {
    repository: hasTag ? name.slice(0, colon) : name,
    ...(hasTag ? { tag: name.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/**
 * A Kube-OVN image reference as the chart composes it: registry address,
 * repository (the last path segment) and tag (with the digest after it).
 * @internal
 */
export function kubeOvnImage(image: unknown, field: string): { registry: string; repository: string; tag: string } {
  const parts = parseImage(image, field);
  if (parts.tag === undefined) {
    fail(field, image, 'needs a tag (the kube-ovn chart writes <registry>/<repository>:<tag>; a digest may follow the tag, e.g. docker.io/kubeovn/kube-ovn:v1.15.10@sha256:…)');
  }
  const slash = parts.repository.lastIndexOf('/');
  if (slash < 0) fail(field, image, 'needs a registry or path before the image name (the kube-ovn chart writes <registry>/<repository>:<tag>), e.g. docker.io/kubeovn/kube-ovn:v1.15.10');
  return {
    registry: parts.repository.slice(0, slash),
    repository: parts.repository.slice(slash + 1),
    tag: parts.digest ? `${parts.tag}@${parts.digest}` : parts.tag,
  };
}
