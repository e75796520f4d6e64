import { acceptFor, readHandshakeAnswer, upgradeRequest } from '../../src/websocket/handshake';

const key = 'dGhlIHNhbXBsZSBub25jZQ==';
const accepted = (extra = '', accept = acceptFor(key)): Buffer =>
  Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n${extra}\r\n`);

describe('WebSocket opening handshake', () => {
  it("computes RFC 6455's example accept value", () => {
    expect(acceptFor(key)).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('asks for the path, query and host:port of the URL', () => {
    const request = upgradeRequest(new URL('ws://127.0.0.1:8080/ws?token=a.b.c&device=d1'), key);
    expect(request.split('\r\n')).toEqual([
      'GET /ws?token=a.b.c&device=d1 HTTP/1.1',
      'Host: 127.0.0.1:8080',
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${key}`,
      'Sec-WebSocket-Version: 13',
      '',
      '',
    ]);
  });

  it('waits for the whole head, then accepts and hands back the bytes after it', () => {
    const head = accepted();
    expect(readHandshakeAnswer(head.subarray(0, head.length - 1), key)).toBeUndefined();
    const answer = readHandshakeAnswer(Buffer.concat([head, Buffer.from([0x82, 0x01, 0x2a])]), key);
    expect(answer).toMatchObject({ ok: true });
    expect(answer?.ok && [...answer.rest]).toEqual([0x82, 0x01, 0x2a]);
  });

  it.each([
    ['a refused upgrade', Buffer.from('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n'), 401],
    ['a wrong accept value', accepted('', acceptFor('another key')), 101],
    ['an extension not offered', accepted('Sec-WebSocket-Extensions: permessage-deflate\r\n'), 101],
    ['a subprotocol not offered', accepted('Sec-WebSocket-Protocol: chat\r\n'), 101],
    ['no Upgrade header', Buffer.from(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`), 101],
    ['not HTTP', Buffer.from('SSH-2.0-OpenSSH\r\n\r\n'), 0],
  ])('refuses %s', (_what, bytes, status) => {
    expect(readHandshakeAnswer(bytes, key)).toMatchObject({ ok: false, status });
  });

  it('refuses a head that never ends', () => {
    expect(readHandshakeAnswer(Buffer.alloc(20_000, 0x41), key)).toMatchObject({ ok: false, status: 0 });
  });
});
