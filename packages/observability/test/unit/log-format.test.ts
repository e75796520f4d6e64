// Log lines: JSON unless a person is reading a terminal; the readable form keeps every field.
import pino from 'pino';
import { logFormatFor, prettyDestination, prettyLogLine } from '../../src/log-format';

describe('the log format', () => {
  it('is pretty on a terminal and JSON elsewhere unless PARLEY_LOG_FORMAT says', () => {
    expect(logFormatFor(undefined, true)).toBe('pretty');
    expect(logFormatFor(undefined, false)).toBe('json');
    expect(logFormatFor('', false)).toBe('json');
    expect(logFormatFor('json', true)).toBe('json');
    expect(logFormatFor('pretty', false)).toBe('pretty');
    expect(() => logFormatFor('yaml', true)).toThrow(/PARLEY_LOG_FORMAT must be one of json, pretty, got "yaml"/);
  });

  it('writes time, level, service and message, then every other field as key=value', () => {
    const line = prettyLogLine(
      JSON.stringify({ level: 30, time: Date.UTC(2026, 11, 6, 23, 14, 42, 123), pid: 7, hostname: 'h', service: 'gateway', name: 'gateway', msg: 'gateway listening', port: 8080, host: '127.0.0.1', note: 'two words', tls: false }),
    );
    expect(line).toBe('23:14:42.123 INFO  [gateway] gateway listening  port=8080 host=127.0.0.1 note="two words" tls=false');
  });

  it("shows an error's message as a field and its stack on indented lines below", () => {
    const line = prettyLogLine(
      JSON.stringify({ level: 50, time: 0, service: 'delivery', msg: 'batch failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (a.ts:1:1)' }, topic: 't' }),
    );
    expect(line.split('\n')).toEqual(['00:00:00.000 ERROR [delivery] batch failed  err=boom topic=t', '    Error: boom', '        at f (a.ts:1:1)']);
  });

  it('passes a line that is not a JSON object through unchanged', () => {
    expect(prettyLogLine('plain text\n')).toBe('plain text');
    expect(prettyLogLine('[1,2]')).toBe('[1,2]');
  });

  it('turns real pino output into one readable line per entry', () => {
    const written: string[] = [];
    const logger = pino({ name: 'sequencer', base: { service: 'sequencer' } }, prettyDestination({ write: (chunk) => written.push(chunk) }));
    logger.info({ partition: 3 }, 'sequencer ready');
    logger.warn('slow');
    expect(written).toHaveLength(2);
    expect(written[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}\[sequencer\] sequencer ready {2}partition=3\n$/);
    expect(written[1]).toMatch(/ WARN {2}\[sequencer\] slow\n$/);
  });
});
