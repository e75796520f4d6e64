// When a connection just opened may be welcomed: once its presence entry is stored and its
// user's revocation time is read (connection-handler.ts decides what then). The connections
// opened in one event-loop turn go through together: their entries share one store call
// (presence-keeper.ts), their users' revocation times are one read beside it in the same turn
// (so it adds no round trip before welcome), and one promise chain waits for the lot. A
// promise per connection (its read, its place in Promise.all) lived until the store answered
// and was promoted to the old generation by the scavenges of a burst of reconnects.
import type { TokenRevocations } from '@parley/ports';
import type { UserId } from '@parley/protocol';
import type { ClientLink } from './client-link';
import type { PresenceKeeper } from './presence-keeper';

export interface WelcomeGateParts {
  readonly presence: PresenceKeeper;
  readonly revocations: TokenRevocations;
  /** Presence stored and the revocation time read: welcome the link, or close it if revoked. */
  readonly ready: (link: ClientLink, revokedBefore: number) => void;
  /** Its presence entry could not be stored or its revocation time not read: close it. */
  readonly failed: (links: readonly ClientLink[], err: unknown) => void;
  /** Runs the turn's batch once the turn's connections are gathered (default setImmediate). */
  readonly schedule?: (task: () => void) => void;
}

/** The connections opened in one turn whose presence entries share one store call. */
interface OpeningBatch {
  readonly stored: Promise<void>;
  readonly links: ClientLink[];
}

export class WelcomeGate {
  private batch: OpeningBatch | undefined;
  private readonly schedule: (task: () => void) => void;

  constructor(private readonly parts: WelcomeGateParts) {
    this.schedule = parts.schedule ?? setImmediate;
  }

  /** A connection just opened: its presence entry is registered now, its welcome decided with its turn's. */
  opened(link: ClientLink): void {
    const stored = this.parts.presence.register(link.state);
    let batch = this.batch;
    if (batch === undefined || batch.stored !== stored) {
      const fresh: OpeningBatch = { stored, links: [] };
      this.batch = batch = fresh;
      // The store may answer before check() runs (a turn later): its failure is handled there.
      stored.catch(() => undefined);
      this.schedule(() => this.check(fresh));
    }
    batch.links.push(link);
  }

  private check(batch: OpeningBatch): void {
    if (this.batch === batch) this.batch = undefined;
    const { links } = batch;
    const users = new Array<UserId>(links.length);
    for (let i = 0; i < links.length; i++) users[i] = links[i]!.state.user;
    Promise.all([batch.stored, this.parts.revocations.revokedBeforeEach(users)]).then(
      ([, revokedBefore]) => {
        for (let i = 0; i < links.length; i++) this.parts.ready(links[i]!, revokedBefore[i]!);
      },
      (err: unknown) => void this.settleEach(batch, err),
    );
  }

  /**
   * The store call or the turn's read failed: if the store call did, every link is closed;
   * otherwise each user's time is read again on its own, and only the links whose read
   * failed again are closed.
   */
  private async settleEach(batch: OpeningBatch, err: unknown): Promise<void> {
    const stored = await batch.stored.then(
      () => true,
      () => false,
    );
    if (!stored) {
      this.parts.failed(batch.links, err);
      return;
    }
    const outcomes = await Promise.allSettled(batch.links.map((link) => this.parts.revocations.revokedBefore(link.state.user)));
    const unread: ClientLink[] = [];
    outcomes.forEach((outcome, i) => {
      const link = batch.links[i]!;
      if (outcome.status === 'fulfilled') this.parts.ready(link, outcome.value);
      else unread.push(link);
    });
    if (unread.length > 0) this.parts.failed(unread, err);
  }
}
