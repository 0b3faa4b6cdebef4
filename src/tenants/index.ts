export * from './props';
export { TenantIsolation, TenantLabels, TenantPods } from './tenant-isolation';
export * from './exposures';
export { tenantIsolationManifests, tenantNamespace } from './functions';
