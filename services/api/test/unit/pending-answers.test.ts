// Matching the sequencer's answers (downlink frames, read once by sequencer-answer.ts) to the
// API requests waiting for them; an answer missing a field fails its request and is counted.
import { asConnectionId, encodeFrame, ErrorCode, FrameInit, parley } from '@parley/protocol';
import { FakeClock } from '@parley/ports';
import { ApiError } from '../../src/api-error';
import { PendingAnswers } from '../../src/pending-answers';
import type { InvalidField } from '../../src/stored-message';

const batch = (connectionId: string, frame: FrameInit) =>
  parley.v1.DownlinkBatch.create({ items: [parley.v1.DownlinkItem.create({ userId: 'alice', connectionId, frame: encodeFrame(frame) })] });

const pendingAnswers = (clock = new FakeClock(), invalid: InvalidField[] = []) => new PendingAnswers(clock, 1_000, (field) => invalid.push(field));

describe('PendingAnswers', () => {
  it('resolves with the msg:A for the waiting connection and msg id, ignoring other frames', async () => {
    const pending = pendingAnswers();
    const answer = pending.wait(asConnectionId('c1'), 'm1', 'msg');
    pending.settle(batch('c1', { ackN: { msgId: 'm1' } }));
    pending.settle(batch('c2', { msgA: { msgId: 'm1', conversation: 'd:alice:bob', position: { epoch: 'e', seq: 9 } } }));
    pending.settle(batch('c1', { msgA: { msgId: 'other', conversation: 'd:alice:bob', position: { epoch: 'e', seq: 8 } } }));
    pending.settle(batch('c1', { groupA: { requestId: 'm1', conversation: 'g:x', members: ['alice'] } }));
    pending.settle(parley.v1.DownlinkBatch.create({ items: [parley.v1.DownlinkItem.create({ userId: 'alice', connectionId: 'c1', frame: Buffer.from([0xff, 0xff]) })] }));
    expect(pending.size).toBe(1);
    pending.settle(batch('c1', { msgA: { msgId: 'm1', conversation: 'd:alice:bob', position: { epoch: 'e', seq: 3 }, serverTimeMs: 7 } }));
    expect(await answer).toEqual({ kind: 'msg', conversation: 'd:alice:bob', position: { epoch: 'e', seq: 3 }, serverTimeMs: 7 });
    expect(pending.size).toBe(0);
  });

  it('resolves a group request with its group:A', async () => {
    const pending = pendingAnswers();
    const answer = pending.wait(asConnectionId('c1'), 'g1', 'group');
    pending.settle(batch('c1', { groupA: { requestId: 'g1', conversation: 'g:team', members: ['alice', 'bob'] } }));
    expect(await answer).toEqual({ kind: 'group', conversation: 'g:team', members: ['alice', 'bob'] });
  });

  it('rejects with the refusal an error frame names, with its HTTP status', async () => {
    const pending = pendingAnswers();
    const answer = pending.wait(asConnectionId('c1'), 'g1', 'group');
    pending.settle(batch('c1', { error: { code: ErrorCode.NOT_A_MEMBER, message: 'not a member of g:x', msgId: 'g1' } }));
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.NOT_A_MEMBER, status: 403 });
  });

  it('an answer missing its position or conversation fails the request INTERNAL and is counted, never a position of 0', async () => {
    const invalid: InvalidField[] = [];
    const pending = pendingAnswers(new FakeClock(), invalid);
    const noPosition = pending.wait(asConnectionId('c1'), 'm1', 'msg');
    const noConversation = pending.wait(asConnectionId('c2'), 'g1', 'group');
    pending.settle(batch('c1', { msgA: { msgId: 'm1', conversation: 'd:alice:bob' } }));
    pending.settle(batch('c2', { groupA: { requestId: 'g1', members: ['alice'] } }));
    await expect(noPosition).rejects.toMatchObject({ code: ErrorCode.INTERNAL, status: 500 });
    await expect(noConversation).rejects.toMatchObject({ code: ErrorCode.INTERNAL, status: 500 });
    expect(invalid).toEqual(['position', 'conversation']);
  });

  it('rejects retryable UNAVAILABLE when no answer comes in time', async () => {
    const clock = new FakeClock();
    const pending = pendingAnswers(clock);
    const answer = pending.wait(asConnectionId('c1'), 'm1', 'msg');
    clock.advance(999);
    expect(pending.size).toBe(1);
    clock.advance(1);
    const error = (await answer.catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe(ErrorCode.UNAVAILABLE);
    expect(error.retryable).toBe(true);
    expect(error.status).toBe(503);
    expect(pending.size).toBe(0);
  });
});
