import { App, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { Component } from '../../../src/constructs/component';
import { FirewallPort, HostFirewall, HostFirewallProps } from '../../../src/constructs/host-firewall';
import { CozynetValidationError } from '../../../src/model/errors';

/** A component that opens the given host-network ports. */
export class PortsComponent extends Component {
  constructor(scope: Construct, id: string, private readonly open: FirewallPort[]) {
    super(scope, id, { releaseName: id, namespace: 'cozy-test' });
  }
  public hostNetworkPorts(): FirewallPort[] {
    return this.open;
  }
}

export function firewall(props?: HostFirewallProps): { app: App; fw: HostFirewall } {
  const app = Testing.app();
  return { app, fw: new HostFirewall(app, 'cilium-networkpolicy', props) };
}

/** The synthesized objects of the firewall. */
export function manifests(fw: HostFirewall): any[] {
  return Testing.synth(fw);
}

/** The one CiliumClusterwideNetworkPolicy of the firewall. */
export function policyOf(fw: HostFirewall): any {
  const docs = manifests(fw).filter((d) => d.kind === 'CiliumClusterwideNetworkPolicy');
  expect(docs).toHaveLength(1);
  return docs[0];
}

/** `ingressDeny[0].toPorts[0].ports` of the synthesized policy. */
export function deniedPorts(fw: HostFirewall): any[] {
  return policyOf(fw).spec.ingressDeny[0].toPorts[0].ports;
}

/** The issues of the validation error `fn` throws. */
export function issuesOf(fn: () => unknown): Array<{ path: string; value: string; message: string }> {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CozynetValidationError);
    return (e as CozynetValidationError).issues;
  }
  throw new Error('expected a validation error');
}
