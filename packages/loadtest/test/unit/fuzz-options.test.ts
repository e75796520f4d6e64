import { parseFuzzOptions } from '../../src/fuzz/fuzz-options';

describe('npm run fuzz options', () => {
  it('defaults to 10,000 packets in batches of 500 with a 2 s fresh-pair deadline', () => {
    expect(parseFuzzOptions([])).toEqual({ count: 10_000, seed: 20_261_207, batch: 500, pairDeadlineMs: 2000, maxMinutes: 30 });
  });

  it('takes --count, --seed (0 allowed), --batch, --pair-deadline-ms and --max-minutes', () => {
    expect(parseFuzzOptions(['--count', '50000', '--seed', '0', '--batch', '200', '--pair-deadline-ms', '3000', '--max-minutes', '5'])).toEqual({
      count: 50_000,
      seed: 0,
      batch: 200,
      pairDeadlineMs: 3000,
      maxMinutes: 5,
    });
  });

  it('refuses unknown options and counts that are not positive integers', () => {
    expect(() => parseFuzzOptions(['--packets', '10'])).toThrow(/unknown option --packets/);
    expect(() => parseFuzzOptions(['--count', '0'])).toThrow(/--count needs a positive integer/);
    expect(() => parseFuzzOptions(['--count', 'many'])).toThrow(/--count needs a positive integer/);
    expect(() => parseFuzzOptions(['--batch'])).toThrow(/--batch needs a positive integer/);
  });
});
