/**
 * An error in what a user or the platform team wrote: names the field and what was expected.
 * The handler turns it into a Fatal result and a condition on the XR; nothing is composed.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly expected: string,
  ) {
    super(`${field}: ${expected}`);
    this.name = 'InputError';
  }
}

/** Several input errors at once, so a user fixes them all in one go. */
export class InputErrors extends Error {
  constructor(readonly errors: readonly InputError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'InputErrors';
  }
}

/**
 * Input errors in the Composition's function input (the Policy): the platform team's to fix, not the
 * developer's, and reported as such.
 */
export class PolicyErrors extends InputErrors {
  constructor(errors: readonly InputError[]) {
    super(errors);
    this.name = 'PolicyErrors';
  }
}

/** Runs each check, collecting input errors; throws them together at the end. */
export function collectInputErrors<T>(checks: Array<() => T>): T[] {
  const errors: InputError[] = [];
  const results: T[] = [];
  for (const check of checks) {
    try {
      results.push(check());
    } catch (error) {
      if (error instanceof InputError) errors.push(error);
      else if (error instanceof InputErrors) errors.push(...error.errors);
      else throw error;
    }
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return results;
}
