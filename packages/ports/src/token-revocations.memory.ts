// TokenRevocations in process memory.
import type { UserId } from '@parley/protocol';
import type { TokenRevocations } from './token-revocations';

/** Single process only, like every memory adapter: a revocation is seen by the gateways of this process alone. */
export class MemoryTokenRevocations implements TokenRevocations {
  private readonly before = new Map<UserId, number>();

  async revoke(user: UserId, beforeSec: number): Promise<void> {
    if (beforeSec > (this.before.get(user) ?? 0)) this.before.set(user, beforeSec);
  }

  async revokedBefore(user: UserId): Promise<number> {
    return this.before.get(user) ?? 0;
  }

  async revokedBeforeEach(users: readonly UserId[]): Promise<number[]> {
    const times = new Array<number>(users.length);
    for (let i = 0; i < users.length; i++) times[i] = this.before.get(users[i]!) ?? 0;
    return times;
  }
}
