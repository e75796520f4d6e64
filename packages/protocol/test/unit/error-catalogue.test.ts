import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloseCode, ErrorCode } from '../../src';

const protocolDoc = readFileSync(join(__dirname, '../../../../docs/PROTOCOL.md'), 'utf8');

describe('the error catalogue and docs/PROTOCOL.md', () => {
  it.each(Object.entries(ErrorCode))('documents error %s (%d)', (name, code) => {
    expect(protocolDoc).toMatch(new RegExp(`\\| ${code} \\| \`${name}\` \\|`));
  });

  it.each(Object.entries(CloseCode))('documents close code %s (%d)', (_name, code) => {
    expect(protocolDoc).toMatch(new RegExp(`\\| ${code} \\|`));
  });

  it('never gives two errors the same code', () => {
    const codes = Object.values(ErrorCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
