// Who may call the server API: `Authorization: Bearer <credential>`, where the credential is
// one of PARLEY_API_KEYS or a server API JWT signed with PARLEY_API_JWT_SECRET (audience
// `parley:server-api`, exp required: @parley/auth's server-api-token.ts). A bearer with the
// three dot-separated parts of a JWT is checked as a token, anything else as a key.
import { verifyServerApiToken } from '@parley/auth';
import { ErrorCode, ParleyError } from '@parley/protocol';
import { ApiError } from './api-error';
import type { ApiKeys } from './api-keys';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export class ApiAuth {
  constructor(
    private readonly keys: ApiKeys | undefined,
    private readonly jwtSecret: string | undefined,
    private readonly now: () => number,
  ) {}

  /** `authorization` is the header ('' when absent). Throws 401 TOKEN_MISSING, TOKEN_INVALID or TOKEN_EXPIRED; resolves quietly for a valid credential. */
  check(authorization: string): void {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (!match) throw new ApiError(401, ErrorCode.TOKEN_MISSING, 'send an API key or a server API token as Authorization: Bearer <credential>');
    const credential = match[1]!;
    if (JWT_SHAPE.test(credential)) {
      if (this.jwtSecret === undefined) throw new ApiError(401, ErrorCode.TOKEN_INVALID, 'server API tokens are not enabled (PARLEY_API_JWT_SECRET)');
      try {
        verifyServerApiToken(this.jwtSecret, credential, this.now());
        return;
      } catch (err) {
        if (err instanceof ParleyError) throw new ApiError(401, err.code, err.message);
        throw err;
      }
    }
    if (this.keys === undefined) throw new ApiError(401, ErrorCode.TOKEN_INVALID, 'API keys are not enabled (PARLEY_API_KEYS)');
    this.keys.check(credential);
  }
}
