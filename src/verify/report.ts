/**
 * Types of the tenant isolation verification report (plain data; stable
 * JSON). Rows of the matrix are sources, columns destinations.
 */

/** Options of `verifyTenantIsolation`. */
export interface VerifyOptions {
  /**
   * Include the cell matrix only while sources x destinations is at most this.
   * Differences and the summary are always complete.
   *
   * @default 1000000
   */
  readonly maxMatrixCells?: number;

  /**
   * List at most this many differences (the summary still counts all of them).
   *
   * @default 10000
   */
  readonly maxDifferences?: number;

  /**
   * Name of the representative system namespace (it is given the label
   * `<systemNamespaceLabel>: "true"`).
   *
   * @default 'cozy-system'
   */
  readonly systemNamespace?: string;

  /**
   * Also check that no tenant can open a path to or from another tenant
   * with policies written in its own namespace.
   * @default true
   */
  readonly tenantAuthored?: boolean;

  /**
   * The Cilium release whose policy semantics to judge by: `1.19` (what
   * cozynet installs) or `1.20`. They differ for a NetworkPolicy or
   * CiliumNetworkPolicy peer that names the namespace only negatively
   * (`NotIn`, `DoesNotExist`): 1.19 also matches identities that are not
   * pods (world, host, kube-apiserver; cilium/cilium#46949), 1.20 only pods.
   *
   * @default '1.19'
   */
  readonly ciliumVersion?: string;
}

/** A representative endpoint of the matrix. */
export interface VerifyEndpoint {
  /** Identifier, e.g. `tenant-acme/pod`, `tenant-acme/svc:ingress`, `kube-system/kube-dns`, `world`. */
  readonly id: string;
  /**
   * What it stands for: `tenant-pod`, `tenant-service`, `tenant-apiserver-client`,
   * `dns`, `kube-system-pod`, `system-pod`, `world` or `kube-apiserver`.
   */
  readonly role: string;
  /** Namespace of its tenant, for tenant endpoints. @default - not a tenant endpoint */
  readonly tenant?: string;
  /** Pod namespace. @default - not a pod */
  readonly namespace?: string;
  /** Pod labels. @default - not a pod */
  readonly labels?: { [key: string]: string };
  /** Non-pod endpoint: the Cilium entity. @default - a pod */
  readonly entity?: string;
  /** Probes (`PROTOCOL/port`) used when this endpoint is the destination. */
  readonly probes: string[];
}

/** One (source, destination, probe) whose actual verdict differs from the intended one. */
export interface VerifyDifference {
  /** Source endpoint id. */
  readonly source: string;
  /** Destination endpoint id. */
  readonly destination: string;
  /** `PROTOCOL/port`, e.g. `TCP/8080`. */
  readonly probe: string;
  /** Whether the connection should be allowed (facts §9 and the tenant options). */
  readonly intended: boolean;
  /** Whether the policies allow it. */
  readonly actual: boolean;
  /** Why it should (not) be allowed. */
  readonly expectation: string;
  /** Which policies decide the actual verdict. */
  readonly explanation: string;
}

/** Counts of a verification. */
export interface VerifySummary {
  /** Number of tenants. */
  readonly tenants: number;
  /** Number of representative endpoints. */
  readonly endpoints: number;
  /** Number of distinct identities (label sets) among them. */
  readonly identities: number;
  /** Number of Cilium policy objects among the objects. */
  readonly policies: number;
  /** Number of (source, destination, probe) triples compared with the intention. */
  readonly checks: number;
  /** How many of the compared triples are actually allowed. */
  readonly allowed: number;
  /** Number of differences (all of them, also those not listed). */
  readonly differences: number;
  /** Number of differences listed in `differences`. */
  readonly differencesListed: number;
  /** Whether `matrix` is included. */
  readonly matrixIncluded: boolean;
  /** Checked cells whose verdict depends on rules the model cannot judge. */
  readonly undetermined: number;
  /** Cells between two tenants that the widest tenant-authored policies open (0 when isolation holds). */
  readonly openedByTenantPolicies: number;
}

/** The check that tenant-authored policies cannot breach isolation. */
export interface TenantAuthoredCheck {
  /** Whether it was run. */
  readonly checked: boolean;
  /** True when no cell between two different tenants changes. */
  readonly ok: boolean;
  /** What was added: the widest policy each tenant can write in its own namespace. */
  readonly policy: string;
  /** Cells between two tenants that it opens (at most `maxDifferences`). */
  readonly opened: VerifyDifference[];
}

/** Result of `verifyTenantIsolation`. */
export interface VerifyReport {
  /** True when the actual reachability is exactly the intended one. */
  readonly ok: boolean;
  /** Counts. */
  readonly summary: VerifySummary;
  /** Meaning of the matrix cell symbols. */
  readonly legend: { [symbol: string]: string };
  /** All representative endpoints. */
  readonly endpoints: VerifyEndpoint[];
  /** Row order: source endpoint ids. */
  readonly sources: string[];
  /** Column order: destination endpoint ids. */
  readonly destinations: string[];
  /**
   * One string per source, one symbol (see `legend`) per destination.
   * @default - omitted when larger than `VerifyOptions.maxMatrixCells`
   */
  readonly matrix?: string[];
  /** Differences, ordered by source, destination, probe. */
  readonly differences: VerifyDifference[];
  /**
   * Cells the model cannot decide (rules it cannot judge: FQDN, CIDR
   * groups, services, L7, node labels), ordered like `differences`;
   * `actual` is the verdict at the permissive end, `explanation` names the
   * rules.
   */
  readonly undetermined: VerifyDifference[];
  /** The rules the model cannot judge, each with what it cannot judge. */
  readonly uncertainRules: string[];
  /** Whether policies a tenant writes in its own namespace can open another tenant. */
  readonly tenantAuthored: TenantAuthoredCheck;
  /** Things the model approximates or ignores. */
  readonly warnings: string[];
}
