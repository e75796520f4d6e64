// Routes only the embedded mode serves: a token for any user name (to try parley out)
// and the demo chat page.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as uws from 'uWebSockets.js';
import { signToken } from '@parley/auth';
import { isValidUserId } from '@parley/protocol';

const DEV_TOKEN_TTL_SECONDS = 24 * 3600;

export function devRoutes(secret: string, publicDir = join(__dirname, '..', 'public')) {
  return (app: uws.TemplatedApp): void => {
    app.get('/dev/token', (res, req) => {
      const user = req.getQuery('user') ?? '';
      if (!isValidUserId(user)) {
        res.writeStatus('400 Bad Request').writeHeader('content-type', 'application/json').end(JSON.stringify({ error: 'user must be 1..64 chars of [A-Za-z0-9_.-]' }));
        return;
      }
      res.writeHeader('content-type', 'application/json').writeHeader('cache-control', 'no-store').end(JSON.stringify({ user, token: signToken(secret, user, DEV_TOKEN_TTL_SECONDS) }));
    });
    const page = (() => {
      try {
        return readFileSync(join(publicDir, 'index.html'));
      } catch {
        return Buffer.from('<!doctype html><title>parley</title><p>parley is running.</p>');
      }
    })();
    app.get('/', (res) => {
      res.writeHeader('content-type', 'text/html; charset=utf-8').end(page);
    });
  };
}
