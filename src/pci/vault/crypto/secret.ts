const REDACTED = '[REDACTED]';

/**
 * Holds key material (or any secret) so that it cannot leak by accident:
 * logging, string interpolation, JSON serialisation and util.inspect all see
 * '[REDACTED]'. The value sits in a true private field (#value), so it is not
 * an own enumerable property either: spreading, Object.keys and structured
 * logging of the wrapper reveal nothing. Only an explicit reveal() gives it out.
 */
export class Secret<T = Buffer> {
  readonly #value: T;

  constructor(value: T) {
    this.#value = value;
  }

  /** The one deliberate way out: grep for reveal() to audit every use. */
  reveal(): T {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
