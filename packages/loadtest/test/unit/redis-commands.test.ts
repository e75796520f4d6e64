// Redis commands per message for the CPU bench: INFO commandstats parsed, asked over a socket,
// and turned into calls per message with the idle rate taken off.
import { createServer, type Server } from 'node:net';
import { callsBetween, commandCalls, commandsPerMessage, parseCommandStats } from '../../src/bench/redis-commands';

const INFO = [
  '# Commandstats',
  'cmdstat_evalsha:calls=49550,usec=909776,usec_per_call=18.36,rejected_calls=0,failed_calls=0',
  'cmdstat_hgetall:calls=21060,usec=59576,usec_per_call=2.83,rejected_calls=0,failed_calls=0',
  'cmdstat_config|resetstat:calls=1,usec=53,usec_per_call=53.00,rejected_calls=0,failed_calls=0',
  '',
].join('\r\n');

describe('redis commands per message', () => {
  it('parses INFO commandstats into calls per command', () => {
    expect(parseCommandStats(INFO)).toEqual({ evalsha: 49550, hgetall: 21060, 'config|resetstat': 1 });
  });

  it('asks a server for INFO commandstats and reads its bulk answer, even in pieces', async () => {
    const server: Server = createServer((socket) => {
      socket.once('data', (request) => {
        expect(request.toString()).toBe('INFO commandstats\r\n');
        const reply = `$${Buffer.byteLength(INFO)}\r\n${INFO}\r\n`;
        socket.write(reply.slice(0, 20));
        setTimeout(() => socket.end(reply.slice(20)), 10);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      await expect(commandCalls(`redis://127.0.0.1:${port}`)).resolves.toEqual({ evalsha: 49550, hgetall: 21060, 'config|resetstat': 1 });
    } finally {
      server.close();
    }
  });

  it('takes the idle rate off over the window and divides by the messages, largest first', () => {
    // Idle: 30 hgetall in 15 s (2/s); window 10 s: 2,020 hgetall = 20 idle + 2,000 over 1,000 messages.
    const window = callsBetween({ evalsha: 100, hgetall: 50 }, { evalsha: 3_100, hgetall: 2_070, get: 1 });
    expect(commandsPerMessage(window, { hgetall: 30 }, 15, 10, 1_000)).toEqual([
      { command: 'evalsha', perMessage: 3 },
      { command: 'hgetall', perMessage: 2 },
    ]);
    expect(commandsPerMessage(window, {}, 15, 10, 0)).toEqual([]);
  });
});
