// TokenRevocations on Redis: one string per revoked user, `<p>user:{u}:revoked`, holding the
// Unix seconds before which the user's tokens are refused, moved forward only by one script.
import type { UserId } from '@parley/protocol';
import type { TokenRevocations } from '@parley/ports';
import { commandBatch } from './command-batch';
import type { RedisKeys } from './keys';
import type { RedisClient } from './redis-connection';

export interface RedisTokenRevocationsOptions {
  /** Shared connection; never closed here. */
  readonly redis: RedisClient;
  readonly keys: RedisKeys;
}

const REVOKE_COMMAND = 'parleyRevokeTokens';
/** KEYS[1] the user's key; ARGV[1] the new time. Writes only a later time (never moves back). */
const REVOKE_LUA = `
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local wanted = tonumber(ARGV[1])
if wanted > current then redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`;

/**
 * `revokedBefore` is one GET; `revokedBeforeEach` one GET per user in one command batch (a
 * gateway reads the users of a turn's connections at once: one pipeline on one server). The key
 * has no TTL: it must outlive the user's longest-lived token. A Redis that lost its data
 * lost its revocations too: revoke again after such a loss (docs/SERVER-API.md).
 */
export class RedisTokenRevocations implements TokenRevocations {
  private readonly redis: RedisClient;
  private readonly keys: RedisKeys;

  constructor(options: RedisTokenRevocationsOptions) {
    this.redis = options.redis;
    this.keys = options.keys;
    if (!(REVOKE_COMMAND in this.redis)) this.redis.defineCommand(REVOKE_COMMAND, { numberOfKeys: 1, lua: REVOKE_LUA });
  }

  async revoke(user: UserId, beforeSec: number): Promise<void> {
    await (this.redis as unknown as Record<string, (key: string, before: number) => Promise<unknown>>)[REVOKE_COMMAND]!(this.keys.userRevokedBefore(user), Math.floor(beforeSec));
  }

  async revokedBefore(user: UserId): Promise<number> {
    return Number((await this.redis.get(this.keys.userRevokedBefore(user))) ?? 0);
  }

  async revokedBeforeEach(users: readonly UserId[]): Promise<number[]> {
    if (users.length === 0) return [];
    const batch = commandBatch(this.redis);
    for (const user of users) batch.get(this.keys.userRevokedBefore(user));
    const replies = (await batch.exec()) ?? [];
    const times = new Array<number>(users.length);
    for (let i = 0; i < users.length; i++) {
      const [err, value] = replies[i] ?? [new Error('no reply'), null];
      if (err) throw err;
      times[i] = Number(value ?? 0);
    }
    return times;
  }
}
