/**
 * One problem found in user input: the field path, the offending value and
 * what would have been allowed.
 */
export interface ValidationIssue {
  /** Field path in platform-file notation, e.g. `loadBalancer.pools[1].addresses[0]`. */
  readonly path: string;
  /** The offending value, rendered for humans. */
  readonly value: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

/**
 * Raised for user errors (bad props, bad platform file). The CLI prints the
 * message without a stack trace and exits 1.
 */
/** @internal */
export class CozynetValidationError extends Error {
  /** Renders a value for an error message. */
  public static show(value: any): string {
    if (value === undefined) return 'undefined';
    if (typeof value === 'string') return JSON.stringify(value);
    try {
      const s = JSON.stringify(value);
      return s.length > 120 ? s.slice(0, 117) + '...' : s;
    } catch {
      return String(value);
    }
  }

  /** Formats one issue as a single line. */
  public static formatIssue(issue: ValidationIssue): string {
    const got = issue.value === '' ? '' : ` (got ${issue.value})`;
    return `${issue.path || '(root)'}: ${issue.message}${got}`;
  }

  /** The individual problems; at least one. */
  public readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    const lines = issues.map((i) => CozynetValidationError.formatIssue(i));
    super(lines.length === 1 ? lines[0] : `${lines.length} problems:\n  - ${lines.join('\n  - ')}`);
    this.name = 'CozynetValidationError';
    this.issues = issues;
    Object.setPrototypeOf(this, CozynetValidationError.prototype);
  }
}

/**
 * Collects issues under a path prefix, then throws them all at once.
 * @internal
 */
export class IssueCollector {
  public readonly issues: ValidationIssue[] = [];
  constructor(private readonly prefix: string = '') {}

  /** Child collector for a nested field; shares the issue list. */
  public at(field: string | number): IssueCollector {
    const child = new IssueCollector(joinPath(this.prefix, field));
    (child as any).issues = this.issues;
    return child;
  }

  public path(field?: string | number): string {
    return field === undefined ? this.prefix : joinPath(this.prefix, field);
  }

  public add(field: string | number | undefined, value: any, message: string): void {
    this.issues.push({ path: this.path(field), value: CozynetValidationError.show(value), message });
  }

  public get ok(): boolean {
    return this.issues.length === 0;
  }

  public throwIfAny(): void {
    if (this.issues.length > 0) throw new CozynetValidationError([...this.issues]);
  }
}

/** @internal */
export function joinPath(prefix: string, field: string | number): string {
  if (typeof field === 'number') return `${prefix}[${field}]`;
  return prefix ? `${prefix}.${field}` : field;
}

/** Throws a single-issue validation error. @internal */
export function fail(path: string, value: any, message: string): never {
  throw new CozynetValidationError([{ path, value: CozynetValidationError.show(value), message }]);
}

/**
 * Runs `fn`; a `CozynetValidationError` it throws is re-thrown with every
 * issue path prefixed by `prefix` (e.g. `loadBalancer.pools[1]`), so that a
 * construct can report paths relative to its own props and the platform file
 * loader can report them from the file's root.
 * @internal
 */
export function withPathPrefix<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof CozynetValidationError) {
      throw new CozynetValidationError(e.issues.map((i) => ({
        ...i,
        path: !i.path ? prefix : i.path.startsWith('[') ? `${prefix}${i.path}` : `${prefix}.${i.path}`,
      })));
    }
    throw e;
  }
}
