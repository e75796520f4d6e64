// The Membership contract over MemoryMembership.
import { MemoryMembership } from '@parley/ports';
import { describeMembershipContract } from '@parley/ports/testing';

describeMembershipContract('memory', async () => {
  const membership = new MemoryMembership({ restored: false });
  return { membership, close: async () => {}, lose: async () => membership.forget() };
});
