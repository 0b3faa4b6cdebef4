import { enforced, TOLERATED_FINDINGS } from './format';
import { bootstrapReport, BootstrapOptions, BootstrapReport, Finding, FindingCode } from './model';

export { bootstrapReport, formatPlan, planJson, readOutputFolder, repositoryLocation, TOLERATED_FINDINGS } from './exports';

/**
 * Runs the bootstrap model on an output and splits its findings into those
 * that fail synth/validate and those still tolerated (`TOLERATED_FINDINGS`).
 * @internal
 */
export function checkBootstrap(
  files: Map<string, string>,
  options: BootstrapOptions = {},
  tolerated: ReadonlySet<FindingCode> = TOLERATED_FINDINGS,
): {
    report: BootstrapReport; errors: Finding[]; warnings: Finding[];
  } {
  const report = bootstrapReport(files, options);
  return {
    report,
    errors: report.findings.filter((f) => enforced(f, tolerated)),
    warnings: report.findings.filter((f) => !enforced(f, tolerated)),
  };
}
