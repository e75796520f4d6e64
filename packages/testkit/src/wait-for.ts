// Owns polling a condition until it holds or a deadline passes, failing with a message that
// names what was awaited (and the condition's last error, if it threw).
export interface WaitForOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** Human description used in the timeout error, e.g. "redis on 127.0.0.1:6390 to answer PING". */
  what: string;
  /** Stops polling at once (rejecting) when aborted, e.g. because the awaited process died. */
  signal?: AbortSignal;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  opts: WaitForOptions,
): Promise<void> {
  const intervalMs = opts.intervalMs ?? 50;
  const deadline = Date.now() + opts.timeoutMs;
  const { signal } = opts;
  let lastError: unknown;
  let attempts = 0;
  const aborted = (): Error => new Error(`Stopped waiting for ${opts.what}: aborted`);
  for (;;) {
    if (signal?.aborted) throw aborted();
    attempts += 1;
    try {
      if (await condition()) return;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) {
      const cause =
        lastError === undefined
          ? ''
          : `; last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`;
      throw new Error(
        `Timed out after ${opts.timeoutMs}ms (${attempts} attempts) waiting for ${opts.what}${cause}`,
      );
    }
    await new Promise<void>((resolve) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, Math.min(intervalMs, remaining));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
