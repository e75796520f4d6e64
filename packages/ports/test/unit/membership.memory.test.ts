// The Membership contract over MemoryMembership.
import { MemoryMembership } from '../../src/membership.memory';
import { describeMembershipContract } from '../../src/testing/membership.contract';

describeMembershipContract('memory', async () => {
  const membership = new MemoryMembership({ restored: false });
  return { membership, close: async () => {}, lose: async () => membership.forget() };
});
