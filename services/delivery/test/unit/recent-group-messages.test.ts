// The group messages delivery keeps for lagging connections: ranges only when whole, trimmed
// once acked, and bounded by count and payload bytes, oldest first.
import { asConversationId, asEpoch, parley } from '@parley/protocol';
import { KeptMessage, RecentGroupMessages } from '../../src/recent-group-messages';

const club = 'g:club' as never;
const message = (seq: number, epoch = 'e1', bytes = 10, conversation = 'g:club'): KeptMessage => ({
  message: parley.v1.StoredMessage.create({ conversation, position: { epoch, seq }, msgId: `m${seq}`, fromUser: 'alice', toUsers: [], payload: Buffer.alloc(bytes) }),
  position: { conversation: asConversationId(conversation), epoch: asEpoch(epoch), seq },
});
const ids = (messages: ReadonlyArray<parley.v1.IStoredMessage | KeptMessage> | undefined) => messages?.map((m) => ('position' in m && 'message' in m ? m.message : m).msgId);

describe('RecentGroupMessages', () => {
  it('gives a range only when it holds every message of it, per epoch', () => {
    const recent = new RecentGroupMessages();
    for (const seq of [1, 2, 3]) recent.remember(message(seq));
    recent.remember(message(1, 'e2'));
    expect(ids(recent.range(club, 'e1', 0, 3))).toEqual(['m1', 'm2', 'm3']);
    expect(ids(recent.range(club, 'e1', 1, 2))).toEqual(['m2']);
    expect(recent.range(club, 'e1', 2, 4)).toBeUndefined(); // 4 never seen
    expect(ids(recent.range(club, 'e2', 0, 1))).toEqual(['m1']);
    expect(ids(recent.held(club, 'e1', 1, 9))).toEqual(['m2', 'm3']);
    recent.remember(message(2)); // a batch handed again
    expect(recent.size).toBe(4);
  });

  it('forgets what every connection acked, and a window once it is empty', () => {
    const recent = new RecentGroupMessages();
    for (const seq of [1, 2, 3, 4]) recent.remember(message(seq));
    recent.trim(club, 'e1', 2);
    expect(recent.range(club, 'e1', 0, 4)).toBeUndefined();
    expect(ids(recent.range(club, 'e1', 2, 4))).toEqual(['m3', 'm4']);
    recent.trim(club, 'e1', Number.MAX_SAFE_INTEGER);
    expect(recent.size).toBe(0);
    expect(recent.epochsOf(club)).toEqual([]);
  });

  it('drops the oldest messages past its bounds, and counts them', () => {
    const byCount = new RecentGroupMessages({ maxMessages: 3, maxPayloadBytes: 1_000_000 });
    for (const seq of [1, 2, 3, 4, 5]) byCount.remember(message(seq));
    expect(byCount.size).toBe(3);
    expect(byCount.evicted).toBe(2);
    expect(ids(byCount.held(club, 'e1', 0, 9))).toEqual(['m3', 'm4', 'm5']);

    const byBytes = new RecentGroupMessages({ maxMessages: 1_000, maxPayloadBytes: 250 });
    byBytes.remember(message(1, 'e1', 100, 'g:a'));
    byBytes.remember(message(1, 'e1', 100, 'g:b'));
    byBytes.remember(message(2, 'e1', 100, 'g:a')); // over 250 bytes: g:a #1, the oldest, goes
    expect(byBytes.size).toBe(2);
    expect(ids(byBytes.held('g:a' as never, 'e1', 0, 9))).toEqual(['m2']);
    expect(ids(byBytes.held('g:b' as never, 'e1', 0, 9))).toEqual(['m1']);
  });
});
