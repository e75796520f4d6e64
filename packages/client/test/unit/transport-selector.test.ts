// Choosing a transport (docs/PROTOCOL.md): WebSocket first, long-polling after two WebSocket
// links died before their welcome, short polling after three long polls cut short in a row,
// WebSocket again every websocketRetryMs — as pure rules over a fake clock, then through
// SelectingTransport with fake links (the probe that brings a polling client back).
import type { Transport, TransportListener } from '../../src/transport';
import type { LongPollTransportOptions } from '../../src/transport.long-poll';
import { selectingTransportFactory } from '../../src/transport.selecting';
import { TransportSelector } from '../../src/transport-selector';
import { FakeClock } from '../support/fake-clock';

describe('TransportSelector', () => {
  it('falls back to long-polling after two WebSocket links in a row die before their welcome', () => {
    const selector = new TransportSelector(new FakeClock());
    expect(selector.nextAttempt()).toBe('websocket');
    selector.linkFailed('websocket');
    selector.linkUp('websocket'); // a welcome in between: the count starts again
    selector.linkFailed('websocket');
    expect(selector.nextAttempt()).toBe('websocket');
    selector.linkFailed('websocket');
    expect(selector.mode).toBe('long-poll');
    expect(selector.nextAttempt()).toBe('long-poll');
  });

  it('switches to short polling after three long polls cut short in a row', () => {
    const selector = new TransportSelector(new FakeClock());
    selector.linkFailed('websocket');
    selector.linkFailed('websocket');
    selector.pollEnded('cut-short');
    selector.pollEnded('cut-short');
    selector.pollEnded('held'); // a poll held its whole time: the proxy lets them through
    selector.pollEnded('cut-short');
    selector.pollEnded('frames'); // says nothing either way
    selector.pollEnded('cut-short');
    expect(selector.mode).toBe('long-poll');
    selector.pollEnded('cut-short');
    expect(selector.mode).toBe('short-poll');
    expect(selector.nextAttempt()).toBe('short-poll');
  });

  it('tries WebSocket again every websocketRetryMs while polling, and returns to it when it works', () => {
    const clock = new FakeClock();
    const selector = new TransportSelector(clock, { websocketRetryMs: 60_000 });
    selector.linkFailed('websocket');
    selector.linkFailed('websocket');
    expect(selector.msUntilWebsocketRetry()).toBe(60_000);
    clock.advance(59_999);
    expect(selector.nextAttempt()).toBe('long-poll');
    clock.advance(1);
    expect(selector.nextAttempt()).toBe('websocket'); // the retry
    expect(selector.nextAttempt()).toBe('long-poll'); // once per interval
    selector.linkFailed('websocket'); // one failed retry is enough to keep polling
    expect(selector.mode).toBe('long-poll');
    expect(selector.msUntilWebsocketRetry()).toBe(60_000);
    clock.advance(60_000);
    expect(selector.nextAttempt()).toBe('websocket');
    selector.linkUp('websocket');
    expect(selector.mode).toBe('websocket');
    expect(selector.nextAttempt()).toBe('websocket');
  });
});

/** A scripted link: the test says when it welcomes or closes. */
class FakeLink implements Transport {
  listener: TransportListener | undefined;
  closedWith: [number, string] | undefined;
  constructor(readonly kind: 'websocket' | 'long-poll') {}
  open(_url: string, listener: TransportListener): void {
    this.listener = listener;
  }
  send(): boolean {
    return this.listener !== undefined;
  }
  close(code: number, reason: string): void {
    this.closedWith = [code, reason];
    queueMicrotask(() => this.listener?.onClose(code, reason));
  }
  welcome(): void {
    this.listener!.onOpen();
    this.listener!.onMessage(new Uint8Array([1]));
  }
  die(): void {
    this.listener!.onClose(1006, 'refused');
  }
  refuse(status: number, code: number): void {
    this.listener!.onClose(1006, `HTTP ${status}`, { status, code });
  }
}

describe('SelectingTransport', () => {
  function setup() {
    const clock = new FakeClock();
    const websockets: FakeLink[] = [];
    const polls: Array<{ link: FakeLink; options: LongPollTransportOptions }> = [];
    const factory = selectingTransportFactory({
      clock,
      websocketRetryMs: 10_000,
      websocket: () => {
        const link = new FakeLink('websocket');
        websockets.push(link);
        return link;
      },
      longPollFactory: (options) => {
        const link = new FakeLink('long-poll');
        polls.push({ link, options });
        return link;
      },
    });
    const closes: string[] = [];
    const connect = () => {
      const transport = factory();
      transport.open('ws://h/ws?token=t', { onOpen: () => undefined, onMessage: () => undefined, onClose: (_c, reason) => closes.push(reason) });
      return transport;
    };
    return { clock, websockets, polls, factory, closes, connect };
  }

  it('stays on WebSocket when the gateway answers the upgrade with a refusal (it gets through), and passes the refusal on', () => {
    const { websockets, polls, factory, connect } = setup();
    const refusals: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      factory().open('ws://h/ws?token=t', { onOpen: () => undefined, onMessage: () => undefined, onClose: (_c, _r, refusal) => refusals.push(refusal) });
      websockets[i]!.refuse(429, 2006);
    }
    connect();
    expect(websockets).toHaveLength(4);
    expect(polls).toHaveLength(0);
    expect(factory.selector.mode).toBe('websocket');
    expect(refusals).toEqual([1, 2, 3].map(() => ({ status: 429, code: 2006 })));
  });

  it('moves to long-polling after two dead upgrades, and back to WebSocket when a probe gets its welcome', async () => {
    const { clock, websockets, polls, factory, closes, connect } = setup();
    connect();
    websockets[0]!.die();
    connect();
    websockets[1]!.die();
    const polling = connect();
    expect(polls).toHaveLength(1);
    polls[0]!.link.welcome();
    expect(polling).toMatchObject({ kind: 'long-poll' });
    // No probe before the interval; then a WebSocket beside the polling link.
    clock.advance(9_999);
    expect(websockets).toHaveLength(2);
    clock.advance(1);
    expect(websockets).toHaveLength(3);
    websockets[2]!.die(); // still blocked: poll on, probe again after the interval
    await Promise.resolve();
    expect(polls[0]!.link.closedWith).toBeUndefined();
    clock.advance(10_000);
    expect(websockets).toHaveLength(4);
    websockets[3]!.welcome();
    // The probe is closed, then the polling link: the client reconnects, on a WebSocket.
    expect(websockets[3]!.closedWith).toEqual([1000, 'transport probe']);
    expect(polls[0]!.link.closedWith).toEqual([1000, 'WebSocket works again']);
    await Promise.resolve();
    expect(closes).toEqual(['refused', 'refused', 'WebSocket works again']);
    expect(factory.selector.mode).toBe('websocket');
    connect();
    expect(websockets).toHaveLength(5);
  });

  it('gives long-poll links the selector mode, so cut-short polls turn the live link to short polling', () => {
    const { websockets, polls, connect } = setup();
    connect();
    websockets[0]!.die();
    connect();
    websockets[1]!.die();
    connect();
    const { options } = polls[0]!;
    expect(options.mode!()).toBe('long');
    for (let i = 0; i < 3; i++) options.onPollEnded!('cut-short');
    expect(options.mode!()).toBe('short');
  });

  it('stops probing when the link closes', () => {
    const { clock, websockets, polls, connect } = setup();
    connect();
    websockets[0]!.die();
    connect();
    websockets[1]!.die();
    const polling = connect();
    polls[0]!.link.welcome();
    polling.close(1000, 'client closed');
    clock.advance(60_000);
    expect(websockets).toHaveLength(2);
  });
});
