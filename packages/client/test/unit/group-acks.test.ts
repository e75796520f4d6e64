import { asConversationId, asEpoch } from '@parley/protocol';
import { GroupAcks } from '../../src/group-acks';
import { FakeClock } from '../support/fake-clock';

const TEAM = asConversationId('g:team');
const at = (seq: number, epoch = 'e1') => ({ epoch: asEpoch(epoch), seq });

describe('group acks', () => {
  let clock: FakeClock;
  let linkUp: boolean;
  let sent: Array<[number, string, number]>;
  let acks: GroupAcks;

  beforeEach(() => {
    clock = new FakeClock(0);
    linkUp = true;
    sent = [];
    acks = new GroupAcks(clock, 100, 1_000, 1_000, (conversation, position) => {
      if (linkUp) sent.push([clock.now(), conversation, position.seq]);
      return linkUp;
    });
  });

  it('acks at once, then at most once per interval with the latest position', () => {
    acks.due(TEAM, at(1));
    acks.due(TEAM, at(2));
    clock.advance(50);
    acks.due(TEAM, at(3));
    clock.advance(50);
    expect(sent).toEqual([
      [0, TEAM, 1],
      [100, TEAM, 3],
    ]);
    clock.advance(1_000);
    expect(sent).toHaveLength(2);
    expect(clock.pendingTimers()).toBe(0); // the quiet conversation's window closed
  });

  it('keeps conversations apart', () => {
    acks.due(TEAM, at(1));
    acks.due(asConversationId('g:other'), at(7));
    expect(sent.map(([, c, seq]) => `${c}/${seq}`)).toEqual(['g:team/1', 'g:other/7']);
  });

  it('does not ack a position already acked on this link unless a copy arrived, and then once per repeat interval', () => {
    acks.due(TEAM, at(4));
    clock.advance(200);
    acks.due(TEAM, at(4));
    expect(sent).toHaveLength(1);
    acks.due(TEAM, at(4), true); // a copy, 200 ms after the ack: the ack is still on its way
    expect(sent).toHaveLength(1);
    clock.advance(800);
    acks.due(TEAM, at(4), true); // a copy a second later: the ack may have been lost
    expect(sent).toHaveLength(2);
    acks.due(TEAM, at(4, 'e2'));
    expect(sent).toHaveLength(2); // inside the window: waits for its end
    clock.advance(100);
    expect(sent[2]).toEqual([1_100, TEAM, 4]);
  });

  it('sends one ack for a burst of copies of one position, not one per copy', () => {
    acks.due(TEAM, at(9));
    for (let i = 0; i < 50; i++) {
      acks.due(TEAM, at(9), true); // sync page + re-push + inbox + duplicates, within 900 ms
      clock.advance(18);
    }
    clock.advance(5_000);
    expect(sent).toEqual([[0, TEAM, 9]]);
    acks.forgetAcked(); // resync:N: the server may have lost it
    acks.due(TEAM, at(9));
    expect(sent).toHaveLength(2);
  });

  it('ignores seq 0 (nothing delivered yet in the epoch)', () => {
    acks.due(TEAM, at(0));
    expect(sent).toEqual([]);
  });

  it('keeps what could not be sent for the next link, and acks the position again there', () => {
    acks.due(TEAM, at(1));
    acks.due(TEAM, at(2)); // due at the end of the window
    linkUp = false;
    acks.goOffline();
    acks.due(TEAM, at(3)); // no link
    clock.advance(1_000);
    expect(acks.dueCount).toBe(1);
    linkUp = true;
    acks.goOnline();
    expect(sent.map(([, , seq]) => seq)).toEqual([1, 3]);
    linkUp = false;
    acks.goOffline();
    linkUp = true;
    acks.goOnline();
    acks.due(TEAM, at(3)); // a new link forgot what was acked
    expect(sent.map(([, , seq]) => seq)).toEqual([1, 3, 3]);
  });
});
