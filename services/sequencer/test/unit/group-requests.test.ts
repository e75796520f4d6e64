// group:R rules on the memory membership store.
import { MemoryMembership } from '@parley/ports';
import { asConnectionId, asGatewayId, asUserId, ErrorCode, groupConversationId, UserId } from '@parley/protocol';
import { applyGroupRequest } from '../../src/group-requests';
import { readGroupRequest, WireGroupRequest } from '../../src/send-envelope';

/** A group:R from `user` as the send topic carries it, through the sequencer's edge. */
const apply = (membership: MemoryMembership, user: UserId, request: WireGroupRequest, maxGroupMembers: number) =>
  applyGroupRequest(
    membership,
    readGroupRequest(request, { gatewayId: asGatewayId('gw1'), connectionId: asConnectionId('c1'), user, device: undefined, receivedAtMs: 0 }),
    maxGroupMembers,
  );

const alice = asUserId('alice');
const bob = asUserId('bob');
const carol = asUserId('carol');

describe('group requests', () => {
  let membership: MemoryMembership;
  beforeEach(() => {
    membership = new MemoryMembership();
  });

  it('creates with the requester as a member; a taken id is refused GROUP_EXISTS, to members and others alike', async () => {
    const created = await apply(membership, alice, { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } }, 10);
    expect(created.frame.groupA).toEqual({ requestId: 'r1', conversation: 'g:team', members: ['alice', 'bob'] });
    const byMember = await apply(membership, bob, { requestId: 'r2', create: { groupId: 'team', members: [] } }, 10);
    expect(byMember.frame.error).toMatchObject({ code: ErrorCode.GROUP_EXISTS, msgId: 'r2', retryable: false });
    const taken = await apply(membership, carol, { requestId: 'r3', create: { groupId: 'team', members: [] } }, 10);
    expect(taken.frame.error).toMatchObject({ code: ErrorCode.GROUP_EXISTS, msgId: 'r3' });
  });

  it('never adds the members a create on a taken id names, even from a member', async () => {
    await apply(membership, alice, { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } }, 10);
    const sneaky = await apply(membership, alice, { requestId: 'r2', create: { groupId: 'team', members: ['bob', 'carol'] } }, 10);
    expect(sneaky.frame.error?.code).toBe(ErrorCode.GROUP_EXISTS);
    expect(await membership.members(groupConversationId('team'))).toEqual(['alice', 'bob']);
  });

  it('answers an exact repeat of the create that made the group (same member set, from a member) with the group', async () => {
    await apply(membership, alice, { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } }, 10);
    const repeat = await apply(membership, alice, { requestId: 'r1', create: { groupId: 'team', members: ['bob', 'alice', 'bob'] } }, 10);
    expect(repeat.frame.groupA).toEqual({ requestId: 'r1', conversation: 'g:team', members: ['alice', 'bob'] });
    // Once the members changed, the repeat is refused: the client lists the group (docs/PROTOCOL.md).
    await apply(membership, alice, { requestId: 'r2', change: { conversation: 'g:team', add: ['carol'] } }, 10);
    const late = await apply(membership, alice, { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } }, 10);
    expect(late.frame.error?.code).toBe(ErrorCode.GROUP_EXISTS);
  });

  it('lets only members change or list, and never empties or overfills a group', async () => {
    await apply(membership, alice, { requestId: 'r1', create: { groupId: 'team', members: ['bob'] } }, 3);
    expect((await apply(membership, carol, { requestId: 'r2', list: { conversation: 'g:team' } }, 3)).frame.error?.code).toBe(ErrorCode.NOT_A_MEMBER);
    expect((await apply(membership, carol, { requestId: 'r3', change: { conversation: 'g:team', add: ['carol'] } }, 3)).frame.error?.code).toBe(
      ErrorCode.NOT_A_MEMBER,
    );
    const added = await apply(membership, bob, { requestId: 'r4', change: { conversation: 'g:team', add: ['carol'], remove: ['alice'] } }, 3);
    expect(added.frame.groupA?.members).toEqual(['bob', 'carol']);
    const tooMany = await apply(membership, bob, { requestId: 'r5', change: { conversation: 'g:team', add: ['d', 'e'] } }, 3);
    expect(tooMany.frame.error?.code).toBe(ErrorCode.GROUP_LIMIT);
    const empty = await apply(membership, bob, { requestId: 'r6', change: { conversation: 'g:team', remove: ['bob', 'carol'] } }, 3);
    expect(empty.frame.error?.code).toBe(ErrorCode.GROUP_LIMIT);
  });
});
