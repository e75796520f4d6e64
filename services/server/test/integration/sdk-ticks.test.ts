// The SDK's ticks on the real Kafka broker and Redis server: a message to an offline user is
// 'stored', turns 'delivered' when that user connects, 'read' when it marks the conversation
// read; the states and read positions survive a reload (same store, new client); a sender
// that was away learns the ticks after reconnecting; typing reaches the other member.
import { waitFor } from '@parley/testkit';
import { MemoryClientStore, type MessageState, type TypingSignal } from '@parley/client';
import { payload, useServer } from './harness';

describe('SDK ticks, read receipts and typing on real Kafka and Redis', () => {
  const env = useServer('sdk-ticks');

  it('shows stored, then delivered when the receiver connects, then read; a reload keeps every state', async () => {
    const store = new MemoryClientStore();
    const alice = await env.client('st-alice', { store });
    const steps: Array<[string, MessageState]> = [];
    alice.client.on('messageState', (t) => steps.push([t.msgId, t.state]));
    const receipt = await alice.client.send('st-bob', payload('hello'));
    await waitFor(() => alice.client.messageState(receipt.msgId)?.state === 'stored', { timeoutMs: 20_000, what: 'stored' });

    const bob = await env.client('st-bob');
    await waitFor(() => alice.client.messageState(receipt.msgId)?.state === 'delivered', { timeoutMs: 20_000, what: 'delivered after the pull' });
    await waitFor(() => bob.messages.length === 1, { timeoutMs: 20_000, what: 'bob to get it' });
    bob.client.markRead(bob.messages[0]!.conversation, bob.messages[0]!.position);
    await waitFor(() => alice.client.messageState(receipt.msgId)?.state === 'read', { timeoutMs: 20_000, what: 'read' });
    expect(steps).toEqual([[receipt.msgId, 'sent'], [receipt.msgId, 'stored'], [receipt.msgId, 'delivered'], [receipt.msgId, 'read']]);

    await alice.close();
    const reloaded = await env.client('st-alice', { store });
    expect(reloaded.client.messageState(receipt.msgId)).toMatchObject({ state: 'read', position: { seq: receipt.seq } });
    expect(reloaded.client.readPosition(receipt.conversation, 'st-bob')).toMatchObject({ seq: receipt.seq });
  });

  it('tells a sender that was away what was delivered and read meanwhile, and the reader\'s other device its read position', async () => {
    const store = new MemoryClientStore();
    const alice = await env.client('st-alice2', { store });
    const sent = [await alice.client.send('st-bob2', payload('one')), await alice.client.send('st-bob2', payload('two'))];
    await waitFor(() => sent.every((r) => alice.client.messageState(r.msgId)?.state === 'stored'), { timeoutMs: 20_000, what: 'both stored' });
    await alice.close();

    const bobLaptop = await env.client('st-bob2');
    await waitFor(() => bobLaptop.messages.length === 2, { timeoutMs: 20_000, what: 'bob to pull both' });
    const bobPhone = await env.client('st-bob2');
    const reads: number[] = [];
    bobPhone.client.on('read', (r) => r.user === 'st-bob2' && reads.push(r.position.seq));
    bobLaptop.client.markRead(sent[0]!.conversation, bobLaptop.messages[0]!.position);
    await waitFor(() => reads.includes(sent[0]!.seq), { timeoutMs: 20_000, what: "bob's phone to learn his read position" });

    const back = await env.client('st-alice2', { store });
    await waitFor(() => back.client.messageState(sent[1]!.msgId)?.state === 'delivered', { timeoutMs: 20_000, what: 'the second delivered' });
    await waitFor(() => back.client.messageState(sent[0]!.msgId)?.state === 'read', { timeoutMs: 20_000, what: 'the first read' });
  });

  it('in a group, tells the sender which members read its message', async () => {
    const alice = await env.client('sg-alice');
    const bob = await env.client('sg-bob');
    const carol = await env.client('sg-carol');
    const team = await alice.client.createGroup('sg-team', ['sg-bob', 'sg-carol']);
    const receipt = await alice.client.sendToConversation(team.conversation, payload('hello team'));
    await waitFor(() => bob.messages.length === 1 && carol.messages.length === 1, { timeoutMs: 20_000, what: 'both members to get it' });
    expect(alice.client.messageState(receipt.msgId)?.state).toBe('sent');
    bob.client.markRead(team.conversation, bob.messages[0]!.position);
    await waitFor(() => alice.client.messageState(receipt.msgId)?.state === 'read', { timeoutMs: 20_000, what: 'read by bob' });
    expect(alice.client.readers(receipt.msgId)).toEqual(['sg-bob']);
    carol.client.markRead(team.conversation, carol.messages[0]!.position);
    await waitFor(() => alice.client.readers(receipt.msgId).length === 2, { timeoutMs: 20_000, what: 'read by carol too' });
    expect(alice.client.readers(receipt.msgId)).toEqual(['sg-bob', 'sg-carol']);
    // bob's reading reaches carol too (every member's devices learn every read position).
    await waitFor(() => carol.client.readPosition(team.conversation, 'sg-bob')?.seq === receipt.seq, { timeoutMs: 20_000, what: "carol to learn bob's position" });
  });

  it('relays typing to the other member', async () => {
    const alice = await env.client('st-alice3');
    const bob = await env.client('st-bob3');
    const signals: TypingSignal[] = [];
    bob.client.on('typing', (s) => signals.push(s));
    expect(alice.client.typing('d:st-alice3:st-bob3')).toBe(true);
    expect(alice.client.typing('d:st-alice3:st-bob3')).toBe(false); // within the interval
    await waitFor(() => signals.length === 1, { timeoutMs: 20_000, what: 'bob to see alice typing' });
    expect(signals[0]).toEqual({ conversation: 'd:st-alice3:st-bob3', user: 'st-alice3' });
  });
});
