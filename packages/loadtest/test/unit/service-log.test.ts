// What `npm run start:distributed` and `npm run chaos` show of a service's output.
import { notableServiceLine } from '../../src/chaos/service-log';

const line = (fields: Record<string, unknown>): string => JSON.stringify({ time: 1, service: 'gateway', name: 'gateway', ...fields });

describe('the service lines a launcher shows', () => {
  it('hides routine lines (the launcher says "ready" itself)', () => {
    expect(notableServiceLine(line({ level: 30, msg: 'gateway listening', config: { PARLEY_GATEWAY_PORT: 8080 } }))).toBeUndefined();
    expect(notableServiceLine(line({ level: 20, msg: 'debug detail' }))).toBeUndefined();
    expect(notableServiceLine('')).toBeUndefined();
  });

  it('shows warnings and errors in one short line with the error message', () => {
    expect(notableServiceLine(line({ level: 40, msg: 'redis connection error', err: 'ECONNREFUSED' }))).toBe('WARN redis connection error (ECONNREFUSED)');
    expect(notableServiceLine(line({ level: 50, msg: 'batch failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }))).toBe('ERROR batch failed (boom)');
    expect(notableServiceLine(line({ level: 60, msg: 'cannot go on' }))).toBe('FATAL cannot go on');
  });

  it('shows lines that are not log entries as they are (a crash, a runtime warning)', () => {
    expect(notableServiceLine('TypeError: x is not a function')).toBe('TypeError: x is not a function');
    expect(notableServiceLine('{not json')).toBe('{not json');
  });
});
