export * from './props';
export { TenantIsolation, TenantLabels } from './tenant-isolation';
export { tenantIsolationManifests, tenantNamespace } from './functions';
