import { Construct } from 'constructs';
import { Component, ComponentOptions, ImagePullPolicy } from './component';
import { checked, hostAgent, imageRef, pullPolicy, resources } from './host-agent';
import { IssueCollector } from '../model/errors';

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

  /**
   * When the kubelet pulls the image.
   * @default ImagePullPolicy.IF_NOT_PRESENT
   */
  readonly imagePullPolicy?: ImagePullPolicy;
}

/**
 * cozy-proxy: a host-network DaemonSet that 1:1-NATs a LoadBalancer IP to
 * one pod (a VM's launcher pod), for Services labelled
 * `service.kubernetes.io/service-proxy-name: cozy-proxy`. It watches
 * Services and Endpoints and programs nftables (metrics and health endpoints
 * off: it opens no port).
 */
export class CozyProxy extends Component {
  constructor(scope: Construct, id: string, props: CozyProxyProps = {}) {
    super(scope, id, { releaseName: 'cozy-proxy', namespace: 'cozy-system' }, props);
    const issues = new IssueCollector();
    const image = checked(issues, () => imageRef(props.image, COZY_PROXY_IMAGE), COZY_PROXY_IMAGE);
    const policy = checked(issues, () => pullPolicy(props.imagePullPolicy), ImagePullPolicy.IF_NOT_PRESENT);
    issues.throwIfAny();
    const labels = { 'app.kubernetes.io/name': 'cozy-proxy', 'app.kubernetes.io/part-of': 'cozynet' };
    hostAgent(this, {
      name: 'cozy-proxy',
      namespace: this.releaseNamespace,
      labels,
      imagePullPolicy: policy,
      // What v0.3.0 reads: Services and their Endpoints (informers, no writes).
      rules: [{ apiGroups: [''], resources: ['services', 'endpoints'], verbs: ['get', 'list', 'watch'] }],
      // Every taint, as the reference platform: passthrough must work on every node.
      tolerations: [{ operator: 'Exists' }],
      containers: [{
        name: 'cozy-proxy',
        image,
        securityContext: { privileged: true, capabilities: { add: ['NET_ADMIN'] } },
        // A memory limit gives the pod cgroup memory.max (Talos' OOM handler picks pods without one first).
        resources: resources(10, 32, 256),
      }],
    });
  }
}
