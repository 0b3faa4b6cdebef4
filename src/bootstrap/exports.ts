export { bootstrapReport } from './model';
export { formatPlan, planJson, readOutputFolder, repositoryLocation, TOLERATED_FINDINGS } from './format';
