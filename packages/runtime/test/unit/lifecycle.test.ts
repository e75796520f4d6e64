// The process lifecycle every service runs under: the exit code a supervisor sees for each
// way a process ends, the graceful stop on SIGTERM/SIGINT with its deadline, and a repeated
// signal: the same one within the same-signal window is the same request (a terminal's ^C
// reaches npm and the server), anything else ends the process at once.
import { ConfigError } from '@parley/config';
import { createLogger } from '@parley/observability';
import { FakeClock } from '@parley/ports';
import {
  DEFAULT_STOP_DEADLINE_MS,
  EXIT_CONFIG,
  EXIT_FATAL,
  EXIT_INTERRUPTED,
  ProcessHost,
  runMain,
  SAME_SIGNAL_WINDOW_MS,
  StopSignal,
  Stoppable,
} from '../../src';

const logger = createLogger('test', 'silent');
const settle = () => new Promise((resolve) => setImmediate(resolve));

class FakeProcess implements ProcessHost {
  readonly clock = new FakeClock();
  readonly exits: number[] = [];
  stderr = '';
  private readonly listeners = new Map<StopSignal, Array<() => void>>();

  onSignal(signal: StopSignal, listener: () => void): void {
    this.listeners.set(signal, [...(this.listeners.get(signal) ?? []), listener]);
  }
  exit(code: number): void {
    this.exits.push(code);
  }
  writeStderr(text: string): void {
    this.stderr += text;
  }
  signal(signal: StopSignal): void {
    for (const listener of this.listeners.get(signal) ?? []) listener();
  }
}

/** A service whose graceful stop ends when the test says so. */
function service(deadlineMs?: number) {
  let finish!: () => void;
  let fail!: (error: Error) => void;
  const service = {
    stops: 0,
    finish: () => finish(),
    fail: (error: Error) => fail(error),
    running: {
      stop: () => {
        service.stops += 1;
        return new Promise<void>((resolve, reject) => {
          finish = resolve;
          fail = reject;
        });
      },
      ...(deadlineMs !== undefined ? { stopDeadlineMs: deadlineMs } : {}),
    } satisfies Stoppable,
  };
  return service;
}

async function started(deadlineMs?: number) {
  const host = new FakeProcess();
  const svc = service(deadlineMs);
  await runMain('svc', logger, async () => svc.running, host);
  return { host, svc };
}

describe('runMain', () => {
  it('exits 0 once the graceful stop a SIGTERM started is done, and not before', async () => {
    const { host, svc } = await started();
    expect(host.exits).toEqual([]);
    host.signal('SIGTERM');
    expect(svc.stops).toBe(1);
    await settle();
    expect(host.exits).toEqual([]);
    svc.finish();
    await settle();
    expect(host.exits).toEqual([0]);
  });

  it('stops gracefully on SIGINT too', async () => {
    const { host, svc } = await started();
    host.signal('SIGINT');
    svc.finish();
    await settle();
    expect(svc.stops).toBe(1);
    expect(host.exits).toEqual([0]);
  });

  it('exits 1 when the graceful stop fails', async () => {
    const { host, svc } = await started();
    host.signal('SIGTERM');
    svc.fail(new Error('could not commit'));
    await settle();
    expect(host.exits).toEqual([1]);
  });

  it('treats the same signal within the same-signal window as the same request', async () => {
    const { host, svc } = await started();
    host.signal('SIGINT');
    host.clock.advance(SAME_SIGNAL_WINDOW_MS - 1);
    host.signal('SIGINT');
    expect(svc.stops).toBe(1);
    expect(host.exits).toEqual([]);
    svc.finish();
    await settle();
    expect(host.exits).toEqual([0]);
  });

  it('exits 130 at once on the same signal after the window', async () => {
    const { host, svc } = await started();
    host.signal('SIGTERM');
    host.clock.advance(SAME_SIGNAL_WINDOW_MS);
    host.signal('SIGTERM');
    expect(host.exits).toEqual([EXIT_INTERRUPTED]);
    expect(svc.stops).toBe(1);
  });

  it('exits 130 at once on the other signal, even within the window', async () => {
    const { host } = await started();
    host.signal('SIGTERM');
    host.clock.advance(10);
    host.signal('SIGINT');
    expect(host.exits).toEqual([EXIT_INTERRUPTED]);
  });

  it('exits 0 at the stop deadline the service gave when its stop hangs', async () => {
    const { host } = await started(25_000);
    host.signal('SIGTERM');
    host.clock.advance(24_999);
    expect(host.exits).toEqual([]);
    host.clock.advance(1);
    expect(host.exits).toEqual([0]);
  });

  it('uses the default stop deadline when the service gave none', async () => {
    const { host } = await started();
    host.signal('SIGTERM');
    host.clock.advance(DEFAULT_STOP_DEADLINE_MS - 1);
    expect(host.exits).toEqual([]);
    host.clock.advance(1);
    expect(host.exits).toEqual([0]);
  });

  it('starts no stop and arms no deadline until a signal arrives', async () => {
    const { host, svc } = await started();
    await settle();
    expect(svc.stops).toBe(0);
    expect(host.exits).toEqual([]);
    expect(host.clock.pendingTimers()).toBe(0);
  });

  it('exits 78 with the problems on stderr when the configuration is invalid (a restart will not help)', async () => {
    const host = new FakeProcess();
    await runMain(
      'svc',
      logger,
      async () => {
        throw new ConfigError(['PARLEY_PORT: expected a number']);
      },
      host,
    );
    expect(host.exits).toEqual([EXIT_CONFIG]);
    expect(host.stderr).toContain('svc: invalid configuration');
    expect(host.stderr).toContain('PARLEY_PORT: expected a number');
  });

  it('exits 70 with the reason on stderr when the start fails otherwise (a supervisor restarts it)', async () => {
    const host = new FakeProcess();
    await runMain(
      'svc',
      logger,
      async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:9092');
      },
      host,
    );
    expect(host.exits).toEqual([EXIT_FATAL]);
    expect(host.stderr).toBe('svc failed to start: connect ECONNREFUSED 127.0.0.1:9092\n');
  });
});
