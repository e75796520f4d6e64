// Steps the chaos scenarios' faults are made of: a wait, and a process frozen (SIGSTOP) for
// the span of a step and always resumed (SIGCONT), also when the step fails, so that no
// scenario leaves a broker, a Redis node or a service stopped behind it.

export type StopSignal = 'SIGSTOP' | 'SIGCONT';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends SIGSTOP through `signal`, runs `step`, then SIGCONT whatever `step` did; resolves or rejects as `step` does. */
export async function whileFrozen<T>(signal: (s: StopSignal) => void, step: () => Promise<T>): Promise<T> {
  signal('SIGSTOP');
  try {
    return await step();
  } finally {
    signal('SIGCONT');
  }
}
