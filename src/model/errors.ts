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
    if (typeof value === 'string') {
      return value.length <= 100 ? JSON.stringify(value) : `${JSON.stringify(value.slice(0, 100))}… (${value.length} characters)`;
    }
    if (typeof value === 'bigint') return excerpt(String(value), 120);
    // JSON would show NaN and ±Infinity as null, a boxed number as the number
    if (typeof value === 'number') return String(value);
    if (value instanceof Number || value instanceof String || value instanceof Boolean) {
      return `new ${value.constructor.name}(${CozynetValidationError.show(value.valueOf())})`;
    }
    if (value instanceof Map || value instanceof Set) return `a ${value.constructor.name} of ${value.size} entries`;
    const marker = '\u0000cozynet-number:';
    try {
      const s = JSON.stringify(value, (_k, v) => {
        if (typeof v === 'string' && v.length > 200) return `${v.slice(0, 200)}…`;
        if (typeof v === 'number' && !Number.isFinite(v)) return `${marker}${v}`;
        return v;
      });
      return s === undefined ? String(value) : excerpt(s.replace(/"\\u0000cozynet-number:([^"]*)"/g, '$1'), 120);
    } catch {
      return excerpt(String(value), 120);
    }
  }

  /**
   * Formats one issue as a single line. Each part is bounded (path 200,
   * value 120, message 600 characters), so that a huge bad value or key
   * never floods the terminal.
   */
  public static formatIssue(issue: ValidationIssue): string {
    const got = issue.value === '' ? '' : ` (got ${excerpt(issue.value, 160)})`;
    return `${excerpt(issue.path || '(root)', 200)}: ${excerpt(issue.message, 600)}${got}`;
  }

  /** The individual problems; at least one. */
  public readonly issues: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    // at most 50 lines: one mistake repeated in 10,000 tenants says enough in 50
    const shown = issues.slice(0, 50).map((i) => CozynetValidationError.formatIssue(i));
    const more = issues.length > shown.length ? `\n  … and ${issues.length - shown.length} more` : '';
    super(shown.length === 1 ? shown[0] : `${issues.length} problems:\n  - ${shown.join('\n  - ')}${more}`);
    this.name = 'CozynetValidationError';
    this.issues = issues;
    Object.setPrototypeOf(this, CozynetValidationError.prototype);
  }
}

/** `text`, cut to at most `max` characters with a note of how much was left out. @internal */
export function excerpt(text: string, max: number): string {
  if (typeof text !== 'string') text = String(text);
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1)}… (${text.length} characters)`;
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
