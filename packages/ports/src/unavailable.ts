// The one error an adapter throws to say "the system behind me is unavailable": retry the same
// work later. Consumers tell such transient failures from poison records (runtime's
// failure-kind.ts), so an outage is ridden out without skipping anything.

/** Thrown when an external system (bus, store) cannot be reached or cannot serve now. */
export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
  /** Marks the failure transient for every classifier, whatever wraps it. */
  readonly transient = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
