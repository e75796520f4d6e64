// A frozen process is always resumed: SIGSTOP before the step, SIGCONT after it, also when the step fails.
import { whileFrozen, type StopSignal } from '../../src/chaos/fault-steps';

describe('whileFrozen', () => {
  it('stops, runs the step while stopped, resumes, and resolves with the step', async () => {
    const events: string[] = [];
    const result = await whileFrozen(
      (s: StopSignal) => events.push(s),
      async () => {
        events.push('step');
        return 7;
      },
    );
    expect(result).toBe(7);
    expect(events).toEqual(['SIGSTOP', 'step', 'SIGCONT']);
  });

  it('resumes the process when the step fails, and fails as the step did', async () => {
    const events: string[] = [];
    await expect(whileFrozen((s: StopSignal) => events.push(s), () => Promise.reject(new Error('node gone')))).rejects.toThrow('node gone');
    expect(events).toEqual(['SIGSTOP', 'SIGCONT']);
  });
});
