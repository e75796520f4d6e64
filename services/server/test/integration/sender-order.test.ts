// The sender's order, enforced by the sequencer on real Kafka and Redis (docs/PROTOCOL.md,
// "Devices and client_seq"): a message that never reached the sequencer (its publish failed,
// as during a Kafka broker restart, or the gateway rate-limited it) holds back the device's
// later messages (OUT_OF_ORDER naming it) until it comes again, across connections of the
// same device; the receiver then sees every message once, in client_seq order.
import { decodeDelimited, decodeFrame, ErrorCode, Frame } from '@parley/protocol';
import { waitFor } from '@parley/testkit';
import { RawConnection, refusedUpgrade, tokenFor, useServer, wsUrl } from './harness';

/** The gateway's rate limit here: a burst of twice this many frames, then this many per second. */
const RATE_LIMIT = 50;

const numbers = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A raw connection as the device `device` (none: the connection is its own device). */
const connect = (port: number, user: string, device?: string): Promise<RawConnection> =>
  RawConnection.open(device === undefined ? wsUrl(port, user) : `${wsUrl(port, user)}&device=${device}`);

/** A device that sends numbered msg:R to one peer by hand and reads the answers. */
class Sender {
  constructor(
    public connection: RawConnection,
    private readonly to: string,
    private readonly tag: string,
  ) {}

  msgId = (clientSeq: number): string => `${this.tag}-${clientSeq}`;

  send(...clientSeqs: number[]): void {
    for (const clientSeq of clientSeqs) {
      this.connection.send({ msgR: { msgId: this.msgId(clientSeq), toUser: this.to, clientSeq, payload: Buffer.from(`#${clientSeq}`) } });
    }
  }

  /** The position msg:A gave each of `clientSeqs`, once all arrived. */
  async accepted(clientSeqs: number[]): Promise<number[]> {
    const seqs: number[] = [];
    for (const clientSeq of clientSeqs) {
      const msgA = await this.connection.next('msgA', (f) => f.msgA!.msgId === this.msgId(clientSeq), 30_000);
      seqs.push(Number(msgA.msgA!.position!.seq));
    }
    return seqs;
  }

  /** The error frames that answered each of `clientSeqs`, once all arrived. */
  async refused(clientSeqs: number[]): Promise<Array<NonNullable<Frame['error']>>> {
    const errors = [];
    for (const clientSeq of clientSeqs) {
      errors.push((await this.connection.next('error', (f) => f.error!.msgId === this.msgId(clientSeq), 30_000)).error!);
    }
    return errors;
  }

  answered(clientSeq: number, packet: 'msgA' | 'error'): boolean {
    const msgId = this.msgId(clientSeq);
    return this.connection.frames.some((f) => f.packet === packet && (f.msgA ?? f.error)!.msgId === msgId);
  }
}

/** A receiver that acks each msg:N frame it got (re-pushes too) and records the texts at each position. */
function receiver(connection: RawConnection): { atSeq: () => Map<number, string[]> } {
  const at = new Map<number, string[]>();
  let read = 0;
  return {
    atSeq: () => {
      for (; read < connection.frames.length; read++) {
        const frame = connection.frames[read]!;
        if (frame.packet !== 'msgN') continue;
        const { position, conversation, payload } = frame.msgN!;
        const seq = Number(position!.seq);
        connection.send({ ackR: { conversation, position } });
        const texts = at.get(seq) ?? [];
        const text = Buffer.from(payload ?? []).toString();
        if (!texts.includes(text)) texts.push(text);
        at.set(seq, texts);
      }
      return at;
    },
  };
}

/** Waits until the receiver holds seqs 1..n; returns the text at each (one text per seq, or the test fails). */
async function receivedInOrder(bob: ReturnType<typeof receiver>, n: number): Promise<string[]> {
  let at = new Map<number, string[]>();
  await waitFor(
    () => {
      at = bob.atSeq();
      return numbers(1, n).every((seq) => at.has(seq));
    },
    { timeoutMs: 30_000, what: `the receiver to hold seqs 1..${n}` },
  );
  expect([...at.keys()].sort((a, b) => a - b)).toEqual(numbers(1, n));
  for (const texts of at.values()) expect(texts).toHaveLength(1);
  return numbers(1, n).map((seq) => at.get(seq)![0]!);
}

describe("the sender's order on real Kafka and Redis", () => {
  const env = useServer('sender-order', { PARLEY_RATE_LIMIT_FRAMES_PER_SEC: String(RATE_LIMIT) });
  const opened: RawConnection[] = [];
  const open = async (user: string, device?: string): Promise<RawConnection> => {
    const connection = await connect(env.server.port, user, device);
    opened.push(connection);
    return connection;
  };
  afterEach(() => {
    for (const connection of opened.splice(0)) connection.close();
  });

  it('a message withheld (its publish failed) holds back the later ones until it is resent; then all arrive once, in client_seq order', async () => {
    const n = 20;
    const k = 8;
    const bob = receiver(await open('so-bob1'));
    const alice = new Sender(await open('so-alice1', 'alice-phone'), 'so-bob1', 'a1');

    // client_seq 1 alone until its msg:A, then pipelined; k never reaches the sequencer.
    alice.send(1);
    expect(await alice.accepted([1])).toEqual([1]);
    alice.send(...numbers(2, n).filter((c) => c !== k));

    expect(await alice.accepted(numbers(2, k - 1))).toEqual(numbers(2, k - 1));
    const refusals = await alice.refused(numbers(k + 1, n));
    for (const error of refusals) {
      expect(error).toMatchObject({ code: ErrorCode.OUT_OF_ORDER, retryable: true });
      expect(Number(error.expectedClientSeq)).toBe(k);
    }
    expect(numbers(k + 1, n).some((c) => alice.answered(c, 'msgA'))).toBe(false);

    // Go-back-N: resend from the oldest unaccepted, in order.
    alice.send(...numbers(k, n));
    expect(await alice.accepted(numbers(k, n))).toEqual(numbers(k, n));

    expect(await receivedInOrder(bob, n)).toEqual(numbers(1, n).map((c) => `#${c}`));
  });

  it('keeps the rule for the device on a new connection, and counts a connection without a device on its own', async () => {
    const bob = receiver(await open('so-bob2'));
    const first = await open('so-alice2', 'alice-tablet');
    expect(first.frames[0]!.welcome!.deviceId).toBe('alice-tablet');
    const alice = new Sender(first, 'so-bob2', 'a2');
    alice.send(1);
    expect(await alice.accepted([1])).toEqual([1]);
    alice.send(2);
    expect(await alice.accepted([2])).toEqual([2]);
    first.close();

    // The same device on a new connection: 3 never arrived, so 4 waits for it.
    alice.connection = await open('so-alice2', 'alice-tablet');
    expect(alice.connection.frames[0]!.welcome!.deviceId).toBe('alice-tablet');
    alice.send(4);
    const [refusal] = await alice.refused([4]);
    expect(refusal).toMatchObject({ code: ErrorCode.OUT_OF_ORDER, retryable: true });
    expect(Number(refusal!.expectedClientSeq)).toBe(3);
    alice.send(3, 4);
    expect(await alice.accepted([3, 4])).toEqual([3, 4]);

    // A reused client_seq from this device is refused for good; another device starts at 1.
    alice.send(2); // its msg_id is a2-2: a retransmit, answered with its position
    expect(await alice.accepted([2])).toEqual([2]);
    alice.connection.send({ msgR: { msgId: 'a2-lost-counter', toUser: 'so-bob2', clientSeq: 2, payload: Buffer.from('reused') } });
    const reused = (await alice.connection.next('error', (f) => f.error!.msgId === 'a2-lost-counter')).error!;
    expect(reused).toMatchObject({ code: ErrorCode.CLIENT_SEQ_REUSED, retryable: false });

    const unnamed = await open('so-alice2');
    expect(unnamed.frames[0]!.welcome!.deviceId).toBe(unnamed.frames[0]!.welcome!.connectionId);
    const other = new Sender(unnamed, 'so-bob2', 'a2-other');
    other.send(1);
    expect(await other.accepted([1])).toEqual([5]);

    expect(await receivedInOrder(bob, 5)).toEqual(['#1', '#2', '#3', '#4', '#1']);
  });

  it('a msg:R the gateway rate-limited is not held there: the sequencer refuses its successors until it comes again', async () => {
    const bob = receiver(await open('so-bob3'));
    const alice = new Sender(await open('so-alice3', 'alice-laptop'), 'so-bob3', 'a3');
    alice.send(1);
    expect(await alice.accepted([1])).toEqual([1]);

    // Empty the bucket (2 s worth of frames, plus a few refused), then client_seq 2 is rate-limited.
    // The first refused frame of the second (a ping) takes the one RATE_LIMITED error the
    // gateway writes per second, so client_seq 2 is refused without an error of its own
    // (PROTOCOL.md, "The frame rate and floods"): only its msg:A never comes.
    for (let i = 0; i < 2 * RATE_LIMIT + 20; i++) alice.connection.send({ ping: { nonce: i } });
    alice.send(2);
    const told = await alice.connection.next('error', (f) => f.error!.code === ErrorCode.RATE_LIMITED, 30_000);
    expect(told.error).toMatchObject({ retryable: true });
    // The bucket refills at RATE_LIMIT frames per second: one second is room for what follows.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(alice.answered(2, 'msgA')).toBe(false);

    alice.send(3, 4);
    for (const error of await alice.refused([3, 4])) {
      expect(error).toMatchObject({ code: ErrorCode.OUT_OF_ORDER });
      expect(Number(error.expectedClientSeq)).toBe(2);
    }
    alice.send(2, 3, 4);
    expect(await alice.accepted([2, 3, 4])).toEqual([2, 3, 4]);
    expect(await receivedInOrder(bob, 4)).toEqual(['#1', '#2', '#3', '#4']);
  });

  it('names the device of a long-poll session in its welcome', async () => {
    const base = `http://127.0.0.1:${env.server.port}`;
    const res = await fetch(`${base}/lp/open?token=${tokenFor('so-erin')}&device=erin-browser`, { method: 'POST', headers: { connection: 'close' } });
    expect(res.status).toBe(200);
    const [welcome] = decodeDelimited(new Uint8Array(await res.arrayBuffer())).map((bytes) => decodeFrame(bytes));
    expect(welcome!.welcome).toMatchObject({ userId: 'so-erin', deviceId: 'erin-browser' });
    const session = res.headers.get('x-parley-session') ?? '';
    expect((await fetch(`${base}/lp/close?session=${session}`, { method: 'POST', headers: { connection: 'close' } })).status).toBe(204);
  });

  it('refuses a malformed device at the upgrade and at the long-poll open with 400 INVALID_FIELD', async () => {
    const port = env.server.port;
    const ws = await refusedUpgrade(`${wsUrl(port, 'so-dave')}&device=has.dot`);
    expect(ws.status).toBe(400);
    expect(JSON.parse(ws.body)).toMatchObject({ code: ErrorCode.INVALID_FIELD, message: expect.stringMatching(/device/) });
    const empty = await refusedUpgrade(`${wsUrl(port, 'so-dave')}&device=`);
    expect(empty.status).toBe(400);

    const res = await fetch(`http://127.0.0.1:${port}/lp/open?token=${tokenFor('so-dave')}&device=${'x'.repeat(65)}`, {
      method: 'POST',
      headers: { connection: 'close' },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: ErrorCode.INVALID_FIELD, message: expect.stringMatching(/device/) });
  });
});
