import { bootstrapReport, BootstrapOptions, BootstrapReport, Finding } from './model';

export { bootstrapReport, formatPlan, planJson, readOutputFolder, repositoryLocation } from './exports';

/**
 * Runs the bootstrap model on an output: every finding is an error (synth
 * refuses the output with exit 1, validate reports it with exit 1).
 * @internal
 */
export function checkBootstrap(files: Map<string, string>, options: BootstrapOptions = {}): { report: BootstrapReport; errors: Finding[] } {
  const report = bootstrapReport(files, options);
  return { report, errors: report.findings };
}
