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
  /** Things the model approximates or ignores. */
  readonly warnings: string[];
}
