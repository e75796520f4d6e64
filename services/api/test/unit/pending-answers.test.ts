// Matching the sequencer's answers (downlink frames) to the API requests waiting for them.
import { asConnectionId, encodeFrame, ErrorCode, FrameInit, parley } from '@parley/protocol';
import { FakeClock } from '@parley/ports';
import { ApiError } from '../../src/api-error';
import { PendingAnswers } from '../../src/pending-answers';

const batch = (connectionId: string, frame: FrameInit) =>
  parley.v1.DownlinkBatch.create({ items: [parley.v1.DownlinkItem.create({ userId: 'alice', connectionId, frame: encodeFrame(frame) })] });

describe('PendingAnswers', () => {
  it('resolves with the msg:A for the waiting connection and msg id, ignoring other frames', async () => {
    const pending = new PendingAnswers(new FakeClock(), 1_000);
    const answer = pending.wait(asConnectionId('c1'), 'm1');
    pending.settle(batch('c1', { ackN: { msgId: 'm1' } }));
    pending.settle(batch('c2', { msgA: { msgId: 'm1', conversation: 'd:alice:bob', position: { epoch: 'e', seq: 9 } } }));
    pending.settle(batch('c1', { msgA: { msgId: 'other' } }));
    expect(pending.size).toBe(1);
    pending.settle(batch('c1', { msgA: { msgId: 'm1', conversation: 'd:alice:bob', position: { epoch: 'e', seq: 3 } } }));
    const frame = await answer;
    expect(Number(frame.msgA?.position?.seq)).toBe(3);
    expect(pending.size).toBe(0);
  });

  it('rejects with the refusal an error frame names, with its HTTP status', async () => {
    const pending = new PendingAnswers(new FakeClock(), 1_000);
    const answer = pending.wait(asConnectionId('c1'), 'g1');
    pending.settle(batch('c1', { error: { code: ErrorCode.NOT_A_MEMBER, message: 'not a member of g:x', msgId: 'g1' } }));
    await expect(answer).rejects.toMatchObject({ code: ErrorCode.NOT_A_MEMBER, status: 403 });
  });

  it('rejects retryable UNAVAILABLE when no answer comes in time', async () => {
    const clock = new FakeClock();
    const pending = new PendingAnswers(clock, 1_000);
    const answer = pending.wait(asConnectionId('c1'), 'm1');
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
