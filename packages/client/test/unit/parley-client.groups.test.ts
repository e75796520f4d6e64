import { ErrorCode, type parley } from '@parley/protocol';
import { ClientClosedError, RequestInterruptedError, RequestRefusedError, RequestTimeoutError, SendRefusedError } from '../../src/errors';
import { settle } from '../support/fake-server';
import { connected, harness, track } from '../support/client-harness';

const bytes = (text: string) => new TextEncoder().encode(text);
const actionOf = (r: parley.v1.IGroupRequest) => (r.create ? 'create' : r.change ? 'change' : r.list ? 'list' : 'none');

describe('ParleyClient groups', () => {
  it('creates a group, changes and lists its members, each answer found by its request id', async () => {
    const h = harness();
    await connected(h);
    const created = await h.client.createGroup('team', ['bob', 'carol']);
    expect(created).toEqual({ conversation: 'g:team', groupId: 'team', members: ['alice', 'bob', 'carol'] });
    const changed = await h.client.changeMembers('g:team', { add: ['dave'], remove: ['carol'] });
    expect(changed.members).toEqual(['alice', 'bob', 'dave']);
    expect(await h.client.listMembers('g:team')).toEqual(changed);
    const requests = h.server.framesOf('groupR');
    expect(requests.map(actionOf)).toEqual(['create', 'change', 'list']);
    expect(new Set(requests.map((r) => r.requestId)).size).toBe(3);
    expect(requests.every((r) => /^[A-Za-z0-9_-]+$/.test(r.requestId ?? ''))).toBe(true);
    expect(h.client.stats.pendingRequests).toBe(0);
  });

  it('rejects a refused request with the server’s code and reports the error frame', async () => {
    const h = harness();
    h.server.groups.set('g:taken', new Set(['bob']));
    await connected(h);
    const exists = track(h.client.createGroup('taken', []));
    const notMember = track(h.client.listMembers('g:taken'));
    const solo = await h.client.createGroup('solo', []);
    expect(solo.members).toEqual(['alice']);
    const lastOut = track(h.client.changeMembers('g:solo', { remove: ['alice'] }));
    await settle();
    expect(exists.error).toBeInstanceOf(RequestRefusedError);
    expect(exists.error).toMatchObject({ code: 'CLIENT_REQUEST_REFUSED', serverCode: ErrorCode.GROUP_EXISTS });
    expect(notMember.error).toMatchObject({ serverCode: ErrorCode.NOT_A_MEMBER });
    expect(lastOut.error).toMatchObject({ serverCode: ErrorCode.GROUP_LIMIT });
    expect(h.errors.map((e) => e.codeName)).toEqual(['GROUP_EXISTS', 'NOT_A_MEMBER', 'GROUP_LIMIT']);
    expect(h.client.stats.pendingRequests).toBe(0);
    expect(h.client.stats.pendingSends).toBe(0); // an error naming a request id settles no send
  });

  it('refuses malformed arguments without sending anything', async () => {
    const h = harness();
    await connected(h);
    const invalid = { code: 'CLIENT_INVALID_ARGUMENT' };
    await expect(h.client.createGroup('no spaces', [])).rejects.toMatchObject(invalid);
    await expect(h.client.createGroup('team', ['bob', 'not a user!'])).rejects.toMatchObject(invalid);
    await expect(h.client.changeMembers('d:alice:bob', { add: ['carol'] })).rejects.toMatchObject(invalid);
    await expect(h.client.listMembers('team')).rejects.toMatchObject(invalid);
    await expect(h.client.conversations(-1)).rejects.toMatchObject(invalid);
    await expect(h.client.sendToConversation('team', bytes('x'))).rejects.toMatchObject(invalid);
    await expect(h.client.sendToConversation('d:bob:carol', bytes('x'))).rejects.toMatchObject(invalid);
    await expect(h.client.sync('nothing')).rejects.toMatchObject(invalid);
    expect(h.server.framesOf('groupR')).toHaveLength(0);
    expect(h.server.framesOf('msgR')).toHaveLength(0);
  });

  it('sends to a group: resolves on msg:A and settles on the one QUEUED ack:N', async () => {
    const h = harness();
    h.server.groups.set('g:team', new Set(['alice', 'bob']));
    await connected(h);
    const sent = await h.client.sendToConversation('g:team', bytes('hello team'));
    expect(sent).toEqual({ msgId: 'm1', conversation: 'g:team', epoch: 'e1', seq: 1 });
    expect(h.server.framesOf('msgR')).toEqual([expect.objectContaining({ msgId: 'm1', conversation: 'g:team', toUser: '' })]);
    expect(h.acks).toEqual([expect.objectContaining({ msgId: 'm1', conversation: 'g:team', toUser: '', status: 'QUEUED' })]);
    expect(h.client.stats.pendingSends).toBe(0);
    await h.advance(120_000);
    expect(h.server.framesOf('msgR')).toHaveLength(1); // settled: no re-send after ackTimeoutMs
  });

  it('fails a group send refused with NOT_A_MEMBER', async () => {
    const h = harness();
    h.server.groups.set('g:others', new Set(['bob']));
    await connected(h);
    const sent = track(h.client.sendToConversation('g:others', bytes('let me in')));
    await settle();
    expect(sent.error).toBeInstanceOf(SendRefusedError);
    expect(sent.error).toMatchObject({ serverCode: ErrorCode.NOT_A_MEMBER });
  });

  it('sends to a 1:1 conversation id through its other member', async () => {
    const h = harness();
    await expect(h.client.sendToConversation('d:alice:bob', bytes('early'))).rejects.toMatchObject({ code: 'CLIENT_INVALID_ARGUMENT' });
    await connected(h);
    const sent = await h.client.sendToConversation('d:alice:bob', bytes('hi'));
    expect(sent).toMatchObject({ conversation: 'd:alice:bob', seq: 1 });
    expect(h.server.framesOf('msgR').map((r) => [r.toUser, r.conversation])).toEqual([['bob', '']]);
  });

  it('re-sends a list whose answer was cut off by a lost link, after the next welcome', async () => {
    const h = harness();
    h.server.groups.set('g:team', new Set(['alice', 'bob']));
    let cut = false;
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'groupR' || cut) return false;
      cut = true;
      connection.drop(1006);
      return true;
    };
    await connected(h);
    const listed = track(h.client.listMembers('g:team'));
    await settle();
    expect(h.client.state).toBe('disconnected');
    await h.advance(1_000);
    expect(listed.value?.members).toEqual(['alice', 'bob']);
    const copies = h.server.framesOf('groupR');
    expect(copies).toHaveLength(2);
    expect(copies[1]!.requestId).toBe(copies[0]!.requestId);
    expect(h.server.connections[1]!.frames('groupR')).toHaveLength(1);
  });

  it('queues requests made before connecting and sends them after the welcome', async () => {
    const h = harness();
    const created = track(h.client.createGroup('early', ['bob']));
    await connected(h);
    expect(created.value?.members).toEqual(['alice', 'bob']);
  });

  it('takes GROUP_EXISTS after re-sending its own create as success, and lists the members', async () => {
    const h = harness();
    let cut = false;
    h.server.onFrame = (connection, frame) => {
      // The first create is applied, but the link dies before its answer arrives.
      if (frame.packet !== 'groupR' || !frame.groupR!.create || cut) return false;
      cut = true;
      h.server.handle(connection, frame);
      connection.drop(1006);
      return true;
    };
    await connected(h);
    const created = track(h.client.createGroup('team', ['bob']));
    await h.advance(1_000);
    expect(created.value).toEqual({ conversation: 'g:team', groupId: 'team', members: ['alice', 'bob'] });
    expect(h.server.framesOf('groupR').map(actionOf)).toEqual(['create', 'create', 'list']);
    expect(h.errors.map((e) => e.codeName)).toEqual(['GROUP_EXISTS']);
  });

  it('sends a change at most twice: a second lost link fails it as interrupted', async () => {
    const h = harness();
    h.server.groups.set('g:team', new Set(['alice', 'bob']));
    h.server.onFrame = (connection, frame) => {
      if (frame.packet !== 'groupR' || !frame.groupR!.change) return false;
      connection.drop(1006);
      return true;
    };
    await connected(h);
    const changed = track(h.client.changeMembers('g:team', { add: ['carol'] }));
    await h.advance(1_000);
    expect(changed.error).toBeInstanceOf(RequestInterruptedError);
    await h.advance(5_000);
    expect(h.server.framesOf('groupR')).toHaveLength(2);
    expect(h.client.stats.pendingRequests).toBe(0);
  });

  it('re-asks an unanswered list on a timer and gives up after requestTimeoutMs', async () => {
    const h = harness({ requestTimeoutMs: 20_000 });
    h.server.onFrame = (_connection, frame) => frame.packet === 'groupR';
    await connected(h);
    const listed = track(h.client.listMembers('g:team'));
    await h.advance(19_999);
    expect(listed.settled).toBe(false);
    expect(h.server.framesOf('groupR')).toHaveLength(3); // at 0, 3 s and 9 s (doubling)
    await h.advance(1);
    expect(listed.error).toBeInstanceOf(RequestTimeoutError);
    await h.advance(60_000);
    expect(h.server.framesOf('groupR')).toHaveLength(3);
  });

  it('lists conversations with their latest and acked positions', async () => {
    const h = harness();
    h.server.groups.set('g:team', new Set(['alice', 'bob']));
    await connected(h);
    h.server.publish('d:alice:bob', 'bob');
    h.server.publish('g:team', 'bob');
    h.server.publish('g:team', 'bob', { push: false });
    await settle();
    const list = await h.client.conversations(10);
    // The first one is the client's own, after the welcome's pull (the ticks of what happened while away).
    expect(h.server.framesOf('conversationsR')).toEqual([expect.objectContaining({ limit: 0 }), expect.objectContaining({ limit: 10 })]);
    const unread = { read: undefined, peerRead: undefined, delivered: undefined };
    expect(list).toEqual([
      { conversation: 'g:team', latest: { epoch: 'e1', seq: 2 }, acked: { epoch: 'e1', seq: 1 }, lastActivityMs: 3, ...unread, read: { epoch: 'e1', seq: 0 } },
      { conversation: 'd:alice:bob', latest: { epoch: 'e1', seq: 1 }, acked: { epoch: 'e1', seq: 1 }, lastActivityMs: 1, ...unread, read: { epoch: 'e1', seq: 0 } },
    ]);
  });

  it('close() rejects waiting requests and syncs and leaves no timer behind', async () => {
    const h = harness();
    h.server.onFrame = (_connection, frame) => frame.packet === 'groupR' || frame.packet === 'syncR';
    await connected(h);
    const listed = track(h.client.listMembers('g:team'));
    const synced = track(h.client.sync('g:team'));
    await settle();
    await h.client.close();
    await settle();
    expect(listed.error).toBeInstanceOf(ClientClosedError);
    expect(synced.error).toBeInstanceOf(ClientClosedError);
    expect(h.clock.pendingTimers()).toBe(0);
    await expect(h.client.createGroup('late', [])).rejects.toBeInstanceOf(ClientClosedError);
  });
});
