import { Construct } from 'constructs';
import { Component, ComponentOptions } from './component';
import { hostAgent, hostPath, PRIVILEGED, resources } from './host-agent';

/** cozy-proxy image of the reference platform (facts §7). */
export const COZY_PROXY_IMAGE = 'ghcr.io/cozystack/cozystack/cozy-proxy:v0.3.0';

/** Label that hands a Service to cozy-proxy (kube-proxy and Cilium then skip it). */
export const COZY_PROXY_SERVICE_LABEL = 'service.kubernetes.io/service-proxy-name';

/**
 * Properties of cozy-proxy.
 */
export interface CozyProxyProps extends ComponentOptions {
  /**
   * cozy-proxy image.
   * @default COZY_PROXY_IMAGE
   */
  readonly image?: string;
}

/**
 * cozy-proxy: a host-network DaemonSet that 1:1-NATs a LoadBalancer IP to
 * one pod (a VM's launcher pod), for Services labelled
 * `service.kubernetes.io/service-proxy-name: cozy-proxy`.
 */
export class CozyProxy extends Component {
  constructor(scope: Construct, id: string, props: CozyProxyProps = {}) {
    super(scope, id, { releaseName: 'cozy-proxy', namespace: 'cozy-system' }, props);
    const labels = { 'app.kubernetes.io/name': 'cozy-proxy', 'app.kubernetes.io/part-of': 'cozynet' };
    const modules = hostPath(this, 'lib-modules', '/lib/modules');
    hostAgent(this, {
      name: 'cozy-proxy',
      namespace: this.releaseNamespace,
      labels,
      rules: [
        { apiGroups: [''], resources: ['services', 'endpoints', 'pods'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['', 'events.k8s.io'], resources: ['events'], verbs: ['create', 'patch'] },
      ],
      containers: [{
        name: 'cozy-proxy',
        image: props.image ?? COZY_PROXY_IMAGE,
        securityContext: PRIVILEGED,
        resources: resources(10, 32, 256),
        volumeMounts: [{ path: '/lib/modules', volume: modules, readOnly: true }],
      }],
      volumes: [modules],
    });
  }
}
