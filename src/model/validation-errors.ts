import { CozynetValidationError, ValidationIssue } from './errors';

/**
 * Recognizes cozynet's user errors (bad props, bad platform file). They are
 * thrown as `Error`s named `CozynetValidationError`, each carrying the
 * field path, the bad value and what is allowed for every problem found.
 */
export class ValidationErrors {
  /** Whether `error` is a cozynet validation error. */
  public static isValidationError(error: any): boolean {
    return error instanceof CozynetValidationError;
  }

  /** The problems a validation error carries; empty for any other value. */
  public static issuesOf(error: any): ValidationIssue[] {
    return error instanceof CozynetValidationError ? [...error.issues] : [];
  }

  private constructor() {}
}
