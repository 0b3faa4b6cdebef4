export { bootstrapReport } from './model';
export { formatPlan, planJson, readOutputFolder, repositoryLocation } from './format';
