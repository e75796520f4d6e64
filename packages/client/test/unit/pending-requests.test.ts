import { asConversationId, asUserId, type FrameInit } from '@parley/protocol';
import { RequestInterruptedError, RequestRefusedError, RequestTimeoutError } from '../../src/errors';
import type { GroupInfo, ServerError } from '../../src/frames';
import { PendingRequests, type RequestRetry } from '../../src/pending-requests';
import { FakeClock } from '../support/fake-clock';

const group: GroupInfo = { conversation: asConversationId('g:team'), groupId: 'team', members: [asUserId('alice')] };
const refusal = (code: number, retryable: boolean): ServerError => ({ code, codeName: undefined, message: 'no', retryable, msgId: undefined, expectedClientSeq: 0 });

describe('pending requests', () => {
  let clock: FakeClock;
  let sent: Array<{ at: number; frame: FrameInit }>;
  let linkUp: boolean;
  let requests: PendingRequests;
  let outcomes: Array<{ answer?: unknown; error?: Error; copies?: number }>;

  const issue = (retry: RequestRetry, deadlineMs?: number): string =>
    requests.issue({
      expects: 'group',
      retry,
      deadlineMs,
      frame: (requestId) => ({ groupR: { requestId, list: { conversation: 'g:team' } } }),
      onAnswer: (answer) => outcomes.push({ answer }),
      onFailure: (error, copies) => outcomes.push({ error, copies }),
    });

  beforeEach(() => {
    clock = new FakeClock(0);
    sent = [];
    linkUp = true;
    outcomes = [];
    requests = new PendingRequests(clock, { retransmitTimeoutMs: 1_000, maxRetransmitTimeoutMs: 4_000 }, (frame) => {
      if (linkUp) sent.push({ at: clock.now(), frame });
      return linkUp;
    }, 'q-');
    requests.goOnline();
  });

  it('numbers requests with the prefix and settles each by its id and kind', () => {
    const a = issue('idempotent');
    const b = issue('once');
    expect([a, b]).toEqual(['q-1', 'q-2']);
    expect(sent.map((s) => s.frame.groupR?.requestId)).toEqual(['q-1', 'q-2']);
    expect(requests.answered('sync', b, { conversation: group.conversation, messages: [], malformed: 0, hasMore: false, latest: undefined, reset: false })).toBe(false);
    expect(requests.answered('group', b, group)).toBe(true);
    expect(requests.answered('group', b, group)).toBe(false); // a late copy
    expect(outcomes).toEqual([{ answer: group }]);
    expect(requests.size).toBe(1);
  });

  it('re-sends an idempotent request on a doubling timer while online, a `once` request never', () => {
    issue('idempotent');
    issue('once');
    clock.advance(8_000);
    expect(sent.filter((s) => s.frame.groupR?.requestId === 'q-1').map((s) => s.at)).toEqual([0, 1_000, 3_000, 7_000]);
    expect(sent.filter((s) => s.frame.groupR?.requestId === 'q-2').map((s) => s.at)).toEqual([0]);
  });

  it('re-sends after a reconnect: idempotent ones always, a `once` one a single time, then fails it as interrupted', () => {
    issue('idempotent');
    issue('once');
    for (let link = 0; link < 2; link++) {
      linkUp = false;
      requests.goOffline();
      linkUp = true;
      requests.goOnline();
    }
    expect(sent.map((s) => s.frame.groupR?.requestId)).toEqual(['q-1', 'q-2', 'q-1', 'q-2', 'q-1']);
    expect(outcomes).toEqual([{ error: expect.any(RequestInterruptedError), copies: 2 }]);
  });

  it('sends what was issued while offline at the next goOnline, in issue order', () => {
    linkUp = false;
    requests.goOffline();
    issue('once');
    issue('idempotent');
    expect(sent).toEqual([]);
    linkUp = true;
    requests.goOnline();
    expect(sent.map((s) => s.frame.groupR?.requestId)).toEqual(['q-1', 'q-2']);
  });

  it('retries after a retryable refusal, which does not count as a copy the server acted on', () => {
    const id = issue('once');
    expect(requests.refused(id, refusal(4001, true))).toBe(true);
    clock.advance(2_000);
    expect(sent.map((s) => s.at)).toEqual([0, 2_000]);
    requests.refused(id, refusal(3004, false));
    expect(outcomes).toEqual([{ error: expect.any(RequestRefusedError), copies: 1 }]);
    expect(outcomes[0]!.error).toMatchObject({ serverCode: 3004, requestId: 'q-1' });
    expect(requests.refused('q-9', refusal(3004, false))).toBe(false);
  });

  it('fails a request at its deadline, counted from issue() across link changes', () => {
    issue('idempotent', 5_000);
    linkUp = false;
    requests.goOffline();
    clock.advance(4_999);
    expect(outcomes).toEqual([]);
    clock.advance(1);
    expect(outcomes).toEqual([{ error: expect.any(RequestTimeoutError), copies: 1 }]);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('cancel() and failAll() leave no timer behind', () => {
    const a = issue('idempotent', 5_000);
    issue('idempotent', 5_000);
    requests.cancel(a);
    requests.failAll(new Error('closed'));
    expect(outcomes).toEqual([{ error: new Error('closed'), copies: 1 }]);
    expect(clock.pendingTimers()).toBe(0);
  });
});
