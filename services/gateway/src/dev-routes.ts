// Development routes, off unless PARLEY_DEV_TOKENS is on: a token for any user name (to try
// parley out), the demo chat page (public/index.html and app.js) and the client's browser
// bundle. `npm start`'s embedded mode serves them, and so do the gateways of
// `npm run start:distributed`; both listen on 127.0.0.1 unless told otherwise, as anyone who
// reaches /dev/token can get a token for any user.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type * as uws from 'uWebSockets.js';
import { signToken } from '@parley/auth';
import { isValidUserId } from '@parley/protocol';
import { queryParam } from './http-query';

const DEV_TOKEN_TTL_SECONDS = 24 * 3600;

/** A file served as is: read once at start-up, or a stand-in body saying what is missing. */
interface StaticFile {
  readonly path: string;
  readonly type: string;
  readonly body: Buffer;
  readonly found: boolean;
}

/** `path` undefined: the file's folder is absent (the stand-in is served). */
function load(path: string | undefined, type: string, standIn: string): StaticFile {
  try {
    if (path === undefined) throw new Error('no folder');
    return { path, type, body: readFileSync(path), found: true };
  } catch {
    return { path: path ?? '(absent)', type, body: Buffer.from(standIn), found: false };
  }
}

/** dist/browser of @parley/client (built by its `build`); undefined when the package is absent. */
function clientBundleDir(): string | undefined {
  try {
    return join(dirname(require.resolve('@parley/client/package.json')), 'dist', 'browser');
  } catch {
    return undefined;
  }
}

export function devRoutes(secret: string, publicDir = join(__dirname, '..', 'public'), bundleDir = clientBundleDir()) {
  return (app: uws.TemplatedApp): void => {
    app.get('/dev/token', (res, req) => {
      const user = queryParam(req, 'user');
      if (!isValidUserId(user)) {
        res.writeStatus('400 Bad Request').writeHeader('content-type', 'application/json').end(JSON.stringify({ error: 'user must be 1..64 chars of [A-Za-z0-9_.-]' }));
        return;
      }
      res.writeHeader('content-type', 'application/json').writeHeader('cache-control', 'no-store').end(JSON.stringify({ user, token: signToken(secret, user, DEV_TOKEN_TTL_SECONDS) }));
    });
    const missingBundle = 'throw new Error("parley.js is not built: run `npm run build -w @parley/client`");';
    const files: Record<string, StaticFile> = {
      '/': load(join(publicDir, 'index.html'), 'text/html; charset=utf-8', '<!doctype html><title>parley</title><p>parley is running.</p>'),
      '/app.js': load(join(publicDir, 'app.js'), 'text/javascript; charset=utf-8', 'document.body.append("app.js is missing");'),
      '/parley.js': load(bundleDir && join(bundleDir, 'parley.js'), 'text/javascript; charset=utf-8', missingBundle),
      '/parley.js.map': load(bundleDir && join(bundleDir, 'parley.js.map'), 'application/json', '{}'),
    };
    for (const [route, file] of Object.entries(files)) {
      app.get(route, (res) => {
        // A missing bundle says so on every load rather than failing the server's start.
        if (!file.found && route !== '/') res.writeStatus('404 Not Found');
        res.writeHeader('content-type', file.type).writeHeader('cache-control', 'no-cache').end(file.body);
      });
    }
  };
}

/** Whether `host` only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  return host === '::1' || host.startsWith('127.');
}

/** The warning a process serving the development routes on `host` logs (undefined: loopback, nothing to warn about). */
export function devRoutesExposure(host: string): string | undefined {
  if (isLoopback(host)) return undefined;
  return `development routes on ${host}, not loopback: anyone who reaches it can get a token for any user at /dev/token (PARLEY_DEV_TOKENS=false turns that off)`;
}
