// The server API as a role of the all-in-one process in its embedded mode (no Kafka, no
// Redis): a send through it reaches a connected client, and history reads it back.
import { signClaims, signServerApiToken, signToken } from '@parley/auth';
import { asUserId, ErrorCode } from '@parley/protocol';
import { waitFor } from '@parley/testkit';
import { startParleyServer, ParleyServer } from '../../src';
import { RecordingClient } from './harness';

const KEY = 'embedded-test-api-key-0123456789abc';
const API_SECRET = 'embedded-test-server-api-token-secret-0123';
const CLIENT_SECRET = 'integration-test-secret-0123456789';

describe('the server API role of the embedded server', () => {
  let server: ParleyServer;
  beforeAll(async () => {
    server = await startParleyServer({
      PARLEY_ROLES: 'gateway,sequencer,delivery,api',
      PARLEY_API_KEYS: KEY,
      PARLEY_API_PORT: '0',
      PARLEY_GATEWAY_PORT: '0',
      PARLEY_JWT_SECRET: CLIENT_SECRET,
      PARLEY_API_JWT_SECRET: API_SECRET,
      PARLEY_LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('sends as the system user to a connected client, and reads the history back', async () => {
    const bob = await new RecordingClient(server.port, 'bob').connect();
    try {
      const api = (path: string, body?: unknown) =>
        fetch(`http://127.0.0.1:${server.api!.port}${path}`, {
          method: body === undefined ? 'GET' : 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        }).then(async (res) => ({ status: res.status, body: (await res.json()) as any })); // eslint-disable-line @typescript-eslint/no-explicit-any
      const sent = await api('/v1/messages', { msgId: 'hello-1', to: 'bob', text: 'welcome aboard' });
      expect(sent).toMatchObject({ status: 200, body: { from: 'system', conversation: 'd:bob:system', position: { seq: 1 } } });
      await waitFor(() => bob.messages.length === 1, { timeoutMs: 10_000, what: 'bob to get the system message' });
      expect(bob.messages[0]).toMatchObject({ fromUser: 'system', conversation: 'd:bob:system' });
      expect(bob.texts()).toEqual(['welcome aboard']);
      const history = await api('/v1/conversations/d:bob:system/messages');
      expect(history.body.messages.map((m: { payload: string }) => Buffer.from(m.payload, 'base64').toString())).toEqual(['welcome aboard']);
    } finally {
      await bob.close();
    }
  });

  it('accepts a server API token, and refuses an expired one, a wrong audience and a client token (401 with the code)', async () => {
    const presence = (credential: string) =>
      fetch(`http://127.0.0.1:${server.api!.port}/v1/presence?users=bob`, { headers: { authorization: `Bearer ${credential}` } }).then(async (res) => ({
        status: res.status,
        code: res.ok ? undefined : ((await res.json()) as { error: { code: number } }).error.code,
      }));
    const nowSec = Math.floor(Date.now() / 1000);
    expect(await presence(signServerApiToken(API_SECRET, 300, 'crm-backend'))).toEqual({ status: 200, code: undefined });
    expect(await presence(signServerApiToken(API_SECRET, 60, undefined, Date.now() - 3_600_000))).toEqual({ status: 401, code: ErrorCode.TOKEN_EXPIRED });
    expect(await presence(signClaims(API_SECRET, { aud: 'parley:client', exp: nowSec + 60 }))).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
    expect(await presence(signToken(CLIENT_SECRET, asUserId('bob'), 300))).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
    expect(await presence(signToken(API_SECRET, asUserId('bob'), 300))).toEqual({ status: 401, code: ErrorCode.TOKEN_INVALID });
  });
});
