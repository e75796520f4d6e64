// A connection's flags and strike count share one field: setting one never changes the others.
import { asConnectionId, asUserId } from '@parley/protocol';
import { ConnectionState } from '../../src/connection';

describe('connection state', () => {
  it('starts unwelcomed, open and without strikes', () => {
    const state = new ConnectionState(asUserId('alice'), asConnectionId('c1'));
    expect([state.welcomed, state.closed, state.strikes]).toEqual([false, false, 0]);
    expect(state.device).toBe('c1');
  });

  it('keeps welcomed, closed and the strike count apart', () => {
    const state = new ConnectionState(asUserId('alice'), asConnectionId('c1'));
    state.strikes += 1;
    state.strikes += 1;
    state.welcomed = true;
    expect([state.welcomed, state.closed, state.strikes]).toEqual([true, false, 2]);
    state.closed = true;
    expect([state.welcomed, state.closed, state.strikes]).toEqual([true, true, 2]);
    state.strikes = 10;
    expect([state.welcomed, state.closed, state.strikes]).toEqual([true, true, 10]);
    state.strikes = 0;
    state.welcomed = false;
    expect([state.welcomed, state.closed, state.strikes]).toEqual([false, true, 0]);
    state.closed = false;
    expect([state.welcomed, state.closed, state.strikes]).toEqual([false, false, 0]);
  });
});
