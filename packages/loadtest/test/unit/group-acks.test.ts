import { GroupAckState, GroupAcks } from '../../src/group-acks';
import type { DeliveryPosition } from '../../src/ordered-delivery';

interface Receiver {
  welcomed: boolean;
  readonly groupAcks: GroupAckState;
}

const receiver = (welcomed = true): Receiver => ({ welcomed, groupAcks: new GroupAckState() });

function setup(): { acks: GroupAcks<Receiver>; sent: Array<[Receiver, string, DeliveryPosition]> } {
  const sent: Array<[Receiver, string, DeliveryPosition]> = [];
  return { acks: new GroupAcks<Receiver>((c, conversation, position) => sent.push([c, conversation, position])), sent };
}

describe('GroupAcks', () => {
  it('sends one cumulative ack per conversation per flush: the highest position shown, not every message', () => {
    const { acks, sent } = setup();
    const c = receiver();
    acks.later(c, 'g:a', { epoch: 'e1', seq: 1 });
    acks.later(c, 'g:a', { epoch: 'e1', seq: 3 });
    acks.later(c, 'g:a', { epoch: 'e1', seq: 2 }); // a repeat below what is due changes nothing
    acks.later(c, 'g:b', { epoch: 'e1', seq: 7 });
    expect(sent).toEqual([]);
    acks.flush();
    expect(sent).toEqual([
      [c, 'g:a', { epoch: 'e1', seq: 3 }],
      [c, 'g:b', { epoch: 'e1', seq: 7 }],
    ]);
    acks.flush();
    expect(sent).toHaveLength(2);
  });

  it('a position of a new epoch replaces a higher seq of the old one', () => {
    const { acks, sent } = setup();
    const c = receiver();
    acks.later(c, 'g:a', { epoch: 'e1', seq: 9 });
    acks.later(c, 'g:a', { epoch: 'e2', seq: 1 });
    acks.flush();
    expect(sent).toEqual([[c, 'g:a', { epoch: 'e2', seq: 1 }]]);
  });

  it('keeps the acks of a connection whose link is down until it is welcomed again', () => {
    const { acks, sent } = setup();
    const c = receiver(false);
    acks.later(c, 'g:a', { epoch: 'e1', seq: 4 });
    acks.flush();
    expect(sent).toEqual([]);
    c.welcomed = true;
    acks.flush();
    expect(sent).toEqual([[c, 'g:a', { epoch: 'e1', seq: 4 }]]);
  });

  it('after a reconnect acks each group again at the highest position acked, unless a newer one is due', () => {
    const { acks, sent } = setup();
    const c = receiver();
    acks.later(c, 'g:a', { epoch: 'e1', seq: 5 });
    acks.later(c, 'g:b', { epoch: 'e1', seq: 2 });
    acks.flush();
    acks.later(c, 'g:a', { epoch: 'e1', seq: 3 }); // lower than acked: still sent, acked stays at 5
    acks.flush();
    expect(c.groupAcks.acked.get('g:a')).toEqual({ epoch: 'e1', seq: 5 });
    acks.later(c, 'g:b', { epoch: 'e1', seq: 6 });
    sent.length = 0;
    acks.again(c);
    acks.flush();
    expect(sent).toEqual([
      [c, 'g:b', { epoch: 'e1', seq: 6 }],
      [c, 'g:a', { epoch: 'e1', seq: 5 }],
    ]);
  });

  it('a reconnect of a connection that never acked a group sends nothing', () => {
    const { acks, sent } = setup();
    acks.again(receiver());
    acks.flush();
    expect(sent).toEqual([]);
  });
});
