// read:R at most once per interval per conversation (the highest position wins, what could
// not go out goes after the next welcome) and typing:R at most once per interval.
import { asConversationId, asEpoch, type FrameInit } from '@parley/protocol';
import { OutgoingMarks } from '../../src/outgoing-marks';
import { FakeClock } from '../support/fake-clock';

const chat = asConversationId('d:alice:bob');
const at = (seq: number) => ({ epoch: asEpoch('e1'), seq });

function setUp() {
  const clock = new FakeClock();
  const sent: FrameInit[] = [];
  let online = true;
  const marks = new OutgoingMarks(clock, { readIntervalMs: 1_000, typingIntervalMs: 3_000 }, (frame) => online && (sent.push(frame), true));
  return { clock, sent, marks, setOnline: (value: boolean) => (online = value) };
}
const reads = (sent: FrameInit[]) => sent.filter((f) => f.readR).map((f) => f.readR!.position!.seq);

describe('outgoing read and typing marks', () => {
  it('sends a read position at once, then at most one per interval: the highest', () => {
    const { clock, sent, marks } = setUp();
    marks.markRead(chat, at(1));
    marks.markRead(chat, at(2));
    marks.markRead(chat, at(4));
    marks.markRead(chat, at(3));
    expect(reads(sent)).toEqual([1]);
    clock.advance(999);
    expect(reads(sent)).toEqual([1]);
    clock.advance(1);
    expect(reads(sent)).toEqual([1, 4]);
    marks.markRead(chat, at(4));
    clock.advance(5_000);
    expect(reads(sent)).toEqual([1, 4]);
  });

  it('keeps a read position that could not go out for the next welcome', () => {
    const { sent, marks, setOnline } = setUp();
    setOnline(false);
    marks.markRead(chat, at(7));
    expect(reads(sent)).toEqual([]);
    setOnline(true);
    marks.goOnline();
    expect(reads(sent)).toEqual([7]);
    // The next welcome sends the last position again (it may have died with the link), once.
    marks.goOnline();
    expect(reads(sent)).toEqual([7, 7]);
    marks.markRead(chat, at(7));
    expect(reads(sent)).toEqual([7, 7]);
  });

  it('sends typing at most once per interval per conversation, never later', () => {
    const { clock, sent, marks, setOnline } = setUp();
    expect(marks.typing(chat)).toBe(true);
    expect(marks.typing(chat)).toBe(false);
    expect(marks.typing(asConversationId('g:team'))).toBe(true);
    clock.advance(3_000);
    setOnline(false);
    expect(marks.typing(chat)).toBe(false); // no link: dropped, not queued
    setOnline(true);
    expect(marks.typing(chat)).toBe(true);
    expect(sent.filter((f) => f.typingR).map((f) => f.typingR!.conversation)).toEqual(['d:alice:bob', 'g:team', 'd:alice:bob']);
  });
});
