import { CozynetValidationError, ValidationIssue } from '../model/errors';
import { VariantName } from '../variants/variant';

/** The variants that run Kube-OVN. @internal */
export const KUBE_OVN_VARIANTS: string[] = [VariantName.KUBEOVN_CILIUM, VariantName.KUBEOVN_CILIUM_GENERIC];

/**
 * What the platform file asks of Kube-OVN on a variant that does not run it
 * (`cilium`, `cilium-generic`, `cilium-kilo`, `noop`): Kube-OVN `Subnet`
 * objects (their CRD never exists, so their release never becomes Ready and
 * everything after it is never applied) and Multus attachments that call the
 * kube-ovn CNI plugin or its IPAM (the plugin and its daemon socket are not
 * on the nodes). Each is an error naming its field.
 * @internal
 */
export function kubeOvnOnlyIssues(props: any, variant: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const which = `variant ${variant} does not run Kube-OVN (variants that do: ${KUBE_OVN_VARIANTS.join(', ')})`;
  const subnets = props?.subnets;
  if (Array.isArray(subnets)) {
    subnets.forEach((s: any, i: number) => {
      const name = s && typeof s === 'object' ? s.name : s;
      issues.push({
        path: `subnets[${i}]`,
        value: CozynetValidationError.show(name),
        message: `is a Kube-OVN Subnet, and ${which}: its CRD never exists on this cluster; remove subnets or choose a Kube-OVN variant`,
      });
    });
  }
  const attachments = props?.attachments;
  if (Array.isArray(attachments)) {
    attachments.forEach((a: any, i: number) => {
      if (!a || typeof a !== 'object') return;
      if (a.type === 'kube-ovn') {
        issues.push({ path: `attachments[${i}].type`, value: 'kube-ovn', message: `calls the kube-ovn CNI plugin, and ${which}: choose bridge, macvlan, ipvlan, vlan or host-device` });
      } else if (a.ipam && typeof a.ipam === 'object' && a.ipam.type === 'kube-ovn') {
        issues.push({ path: `attachments[${i}].ipam.type`, value: 'kube-ovn', message: `is Kube-OVN's IPAM, and ${which}: choose none, static, dhcp or whereabouts` });
      }
    });
  }
  return issues;
}
