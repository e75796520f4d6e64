import { asConnectionId, asUserId } from '@parley/protocol';
import { ConnectionState } from '../../src/connection';
import { heldFor, holdSendsAfter } from '../../src/send-order';

const state = () => new ConnectionState(asUserId('alice'), asConnectionId('c1'), 0, 100);

describe('send order after a refusal (go-back-N on client_seq)', () => {
  it('holds later messages of the conversation until the refused one comes again', () => {
    const s = state();
    holdSendsAfter(s, 'd:alice:bob', 5);
    expect(heldFor(s, 'd:alice:bob', 6)).toBe(5);
    expect(heldFor(s, 'd:alice:bob', 7)).toBe(5);
    expect(heldFor(s, 'd:alice:carol', 6)).toBeUndefined(); // other conversations go on
    expect(heldFor(s, 'd:alice:bob', 5)).toBeUndefined(); // the refused one: the hold lifts
    expect(heldFor(s, 'd:alice:bob', 6)).toBeUndefined();
    expect(s.resendFrom).toBeUndefined();
  });

  it('waits for the earliest refused message when several were refused', () => {
    const s = state();
    holdSendsAfter(s, 'g:team', 8);
    holdSendsAfter(s, 'g:team', 6);
    holdSendsAfter(s, 'g:team', 9);
    expect(heldFor(s, 'g:team', 7)).toBe(6);
    expect(heldFor(s, 'g:team', 6)).toBeUndefined();
  });

  it('holds nothing for messages without a client_seq', () => {
    const s = state();
    holdSendsAfter(s, 'd:alice:bob', 0);
    expect(s.resendFrom).toBeUndefined();
    holdSendsAfter(s, 'd:alice:bob', 3);
    expect(heldFor(s, 'd:alice:bob', 0)).toBeUndefined();
  });
});
