import { renderTenantIsolation } from './policies';
import { TenantIsolationProps } from './props';
import { namespaceOf, resolveTenants } from './tree';

/**
 * The tenant isolation objects as plain JSON (same as `TenantIsolation.manifests`).
 * @jsii ignore
 */
export function tenantIsolationManifests(props: TenantIsolationProps): any[] {
  return renderTenantIsolation(resolveTenants(props));
}

/**
 * Namespace of the tenant at `path` (names from `root`, root included), e.g.
 * `tenantNamespace(['root', 'acme', 'dev'])` is `tenant-acme-dev`.
 * @jsii ignore
 */
export function tenantNamespace(path: string[]): string {
  return namespaceOf(path);
}
