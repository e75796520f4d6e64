// API key check: `Authorization: Bearer <key>` against the configured keys. Compared in
// constant time over SHA-256 digests, so neither the content nor the length of a key leaks
// through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@parley/protocol';
import { ApiError } from './api-error';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  /** Throws TOKEN_MISSING (no bearer key) or TOKEN_INVALID (not a configured key), both HTTP 401. */
  check(authorization: string | undefined): void {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new ApiError(401, ErrorCode.TOKEN_MISSING, 'send the API key as Authorization: Bearer <key>');
    const given = digest(match[1]!);
    let ok = false;
    for (const known of this.digests) ok = timingSafeEqual(known, given) || ok;
    if (!ok) throw new ApiError(401, ErrorCode.TOKEN_INVALID, 'not a valid API key');
  }
}
