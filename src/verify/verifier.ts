import { formatVerifyReport } from './format';
import { VerifyOptions, VerifyReport } from './report';
import { verifyTenantIsolation } from './verify';
import { TenantIsolationProps } from '../tenants/props';

/** Output formats of a verification report. */
export enum VerifyFormat {
  /** Readable matrix (small trees) or summary and differences. */
  TEXT = 'text',
  /** The whole report as stable JSON. */
  JSON = 'json',
}

/**
 * Offline proof that tenants are isolated (class form of
 * `verifyTenantIsolation` / `formatVerifyReport`).
 */
export class TenantIsolationVerifier {
  /**
   * Compares the reachability `objects` give the representative endpoints of
   * the tenant tree with the intended reachability.
   *
   * @param props the tenant tree and isolation options
   * @param objects plain JSON objects as written to YAML (Namespaces and
   * Cilium policies; other objects are ignored); when omitted, the objects
   * `TenantIsolation` synthesizes for `props`
   * @param options limits of the report
   */
  public static verify(props: TenantIsolationProps, objects?: any[], options?: VerifyOptions): VerifyReport {
    return verifyTenantIsolation(props, objects, options);
  }

  /** Renders a report as text or JSON. */
  public static format(report: VerifyReport, format?: VerifyFormat): string {
    return formatVerifyReport(report, format === VerifyFormat.JSON ? 'json' : 'text');
  }

  private constructor() {}
}
