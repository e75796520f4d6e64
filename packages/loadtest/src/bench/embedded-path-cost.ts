// CPU per 1:1 message of the embedded mode's own code, in one process, with a fixed shape, so
// the figure hardly moves with the machine's load: the all-in-one server (gateway, sequencer,
// delivery on the memory adapters) started as `npm start` starts it, its gateway driven through
// its connection handler by in-process client links instead of sockets. Per round, `perRound`
// pairs each send one msg:R; every receiver acks its msg:N with ack:R as soon as it is written;
// the next round starts once every message of the round has its msg:A, msg:N and ack:N (and the
// receiver its ack:A). perRound 1 is the shape of a low rate (each message alone in every
// hand-over), larger of a high one. Left out: uWebSockets.js (socket reads and writes) and the
// event loop's wake-ups, which the whole-server figure of cpu-cost-cli.ts includes.
//
// The packages measured are loaded from a built tree (`root`), so one build of this tool
// measures another build (an A/B pair against main's tree).
import { createRequire } from 'node:module';
import path from 'node:path';

type Protocol = typeof import('@parley/protocol');
type DecodedFrame = ReturnType<Protocol['decodeFrame']>;

/** What this tool uses of the gateway's connection handler (services/gateway connection-handler.ts). */
interface Handler {
  newState(user: unknown): { closed: boolean };
  opened(link: InProcessLink): void;
  received(link: InProcessLink, frame: Uint8Array): void;
  closed(link: InProcessLink, code: number): void;
}

interface ParleyServer {
  readonly gateway: { readonly handler: Handler } | undefined;
  stop(): Promise<void>;
}

type StartServer = (env: Record<string, string>, overrides: Record<string, never>) => Promise<ParleyServer>;

export interface EmbeddedPathOptions {
  /** A built parley tree whose server is measured. */
  readonly root: string;
  /** Messages per round (one per pair, pairs taken in turn). */
  readonly perRound: number;
  /** Messages of each measured run, after a warm-up run of at most 5,000. */
  readonly messages: number;
  /** Sender/receiver pairs, one in-process connection each. */
  readonly pairs: number;
  /** Measured runs; the result is their minimum. */
  readonly runs: number;
}

export interface EmbeddedPathResult {
  readonly root: string;
  readonly perRound: number;
  readonly messages: number;
  /** CPU µs (user + system of this process) per message, per measured run, and their minimum. */
  readonly usPerMessage: readonly number[];
  readonly minUsPerMessage: number;
  /** Frames the server wrote to the in-process links per message (msg:A, msg:N, ack:A, ack:N). */
  readonly framesPerMessage: number;
  readonly loadAverage: string;
}

/** A client link the gateway writes to in-process: each frame is decoded and handed on. */
class InProcessLink {
  readonly transport = 'websocket';
  readonly state: { closed: boolean };

  constructor(
    private readonly handler: Handler,
    user: unknown,
    private readonly protocol: Protocol,
    private readonly onFrame: (link: InProcessLink, frame: DecodedFrame) => void,
  ) {
    this.state = handler.newState(user);
  }

  send(frames: readonly Uint8Array[]): void {
    for (const frame of frames) this.onFrame(this, this.protocol.decodeFrame(frame));
  }

  close(): void {
    if (!this.state.closed) this.handler.closed(this, 1000);
  }

  bufferedBytes(): number {
    return 0;
  }
}

export async function measureEmbeddedPath(options: EmbeddedPathOptions): Promise<EmbeddedPathResult> {
  const root = path.resolve(options.root);
  const load = createRequire(path.join(root, 'package.json'));
  const { startParleyServer } = load('@parley/server') as { startParleyServer: StartServer };
  const protocol = load('@parley/protocol') as Protocol;
  const server = await startParleyServer(
    { PARLEY_GATEWAY_PORT: '0', PARLEY_LOG_LEVEL: 'error', PARLEY_RATE_LIMIT_FRAMES_PER_SEC: '1000000', PARLEY_DEV_TOKENS: 'false' },
    {},
  );
  try {
    const handler = server.gateway?.handler;
    if (!handler) throw new Error('the server runs no gateway');
    return await runRounds(handler, protocol, options, root);
  } finally {
    await server.stop();
  }
}

async function runRounds(handler: Handler, protocol: Protocol, options: EmbeddedPathOptions, root: string): Promise<EmbeddedPathResult> {
  const { perRound, pairs } = options;
  let welcomed = 0;
  let outstanding = 0;
  let frames = 0;
  let wake: (() => void) | undefined;
  const answered = (): void => {
    outstanding -= 1;
    if (outstanding === 0) wake?.();
  };
  const onFrame = (link: InProcessLink, frame: DecodedFrame): void => {
    frames += 1;
    switch (frame.packet) {
      case 'welcome':
        welcomed += 1;
        if (welcomed === 2 * pairs) wake?.();
        return;
      case 'msgA':
      case 'ackA':
      case 'ackN':
        return answered();
      case 'msgN': {
        const n = frame.msgN;
        if (!n?.position) throw new Error('msg:N without a position');
        handler.received(link, protocol.encodeFrame({ ackR: { conversation: n.conversation, position: { epoch: n.position.epoch, seq: n.position.seq } } }));
        return answered();
      }
      default:
        throw new Error(`unexpected ${String(frame.packet)}: ${JSON.stringify(frame)}`);
    }
  };
  const senders: InProcessLink[] = [];
  const receivers: InProcessLink[] = [];
  for (let i = 0; i < pairs; i += 1) {
    senders.push(new InProcessLink(handler, protocol.asUserId(`s${i}`), protocol, onFrame));
    receivers.push(new InProcessLink(handler, protocol.asUserId(`r${i}`), protocol, onFrame));
  }
  await new Promise<void>((resolve) => {
    wake = resolve;
    for (const link of [...senders, ...receivers]) handler.opened(link);
  });
  const clientSeq = new Array<number>(pairs).fill(0);
  let next = 0;
  const payload = Buffer.alloc(64, 7);
  const round = (): Promise<void> =>
    new Promise((resolve) => {
      outstanding = 4 * perRound;
      wake = resolve;
      for (let j = 0; j < perRound; j += 1) {
        const i = next % pairs;
        next += 1;
        clientSeq[i] = (clientSeq[i] ?? 0) + 1;
        const msgR = { msgId: `m${next}`, toUser: `r${i}`, clientSeq: clientSeq[i], payload };
        handler.received(senders[i] as InProcessLink, protocol.encodeFrame({ msgR }));
      }
    });
  const run = async (messages: number): Promise<number> => {
    const start = process.cpuUsage();
    for (let sent = 0; sent < messages; sent += perRound) await round();
    const used = process.cpuUsage(start);
    return (used.user + used.system) / messages;
  };
  await run(Math.min(options.messages, 5_000));
  const usPerMessage: number[] = [];
  const framesBefore = frames;
  for (let r = 0; r < options.runs; r += 1) usPerMessage.push(await run(options.messages));
  const measured = options.runs * Math.ceil(options.messages / perRound) * perRound;
  return {
    root,
    perRound,
    messages: options.messages,
    usPerMessage: usPerMessage.map((us) => Math.round(us * 10) / 10),
    minUsPerMessage: Math.round(Math.min(...usPerMessage) * 10) / 10,
    framesPerMessage: (frames - framesBefore) / measured,
    loadAverage: (await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}
