// The TokenRevocations port: per user, the time before which the user's tokens are refused
// (a banned user, a password change, a stolen device). The gateways read it at every
// connection; the server API writes it.
import type { UserId } from '@parley/protocol';

export interface TokenRevocations {
  /**
   * Refuses `user`'s tokens issued (JWT `iat`) before `beforeSec`, in Unix seconds. Only ever
   * moves forward: a revocation with an earlier time than the stored one changes nothing.
   * Idempotent. Kept until removed (no expiry: a token may live long).
   */
  revoke(user: UserId, beforeSec: number): Promise<void>;
  /** The stored time for `user`, in Unix seconds; 0 when the user's tokens were never revoked. */
  revokedBefore(user: UserId): Promise<number>;
  /**
   * The stored times for `users`, in their order (0 for a user never revoked), in one read: a
   * gateway reads the users of an event-loop turn's connections together. Rejects when the
   * read failed (a caller that must tell which users could not be read asks for each alone).
   */
  revokedBeforeEach(users: readonly UserId[]): Promise<number[]>;
}

/** Whether a token issued at `issuedAtSec` (0 = it names no iat) is refused by a revocation at `beforeSec`. */
export const isRevoked = (issuedAtSec: number, beforeSec: number): boolean => beforeSec > 0 && issuedAtSec < beforeSec;
