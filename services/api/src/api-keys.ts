// API key check: a bearer credential against the configured keys (api-auth.ts reads the
// header). Compared in constant time over SHA-256 digests, so neither the content nor the
// length of a key leaks through timing.
import { createHash, timingSafeEqual } from 'node:crypto';
import { ErrorCode } from '@parley/protocol';
import { ApiError } from './api-error';

const digest = (key: string): Buffer => createHash('sha256').update(key).digest();

export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  /** Throws TOKEN_INVALID (HTTP 401) unless `key` is a configured key. */
  check(key: string): void {
    const given = digest(key);
    let ok = false;
    for (const known of this.digests) ok = timingSafeEqual(known, given) || ok;
    if (!ok) throw new ApiError(401, ErrorCode.TOKEN_INVALID, 'not a valid API key');
  }
}
