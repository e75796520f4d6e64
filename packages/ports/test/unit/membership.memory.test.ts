// The Membership contract over MemoryMembership.
import { MemoryMembership } from '../../src/membership.memory';
import { describeMembershipContract } from '../../src/testing/membership.contract';

describeMembershipContract('memory', async () => ({ membership: new MemoryMembership(), close: async () => {} }));
