// Batches of independent commands, as every adapter sends them: on one server, every batch
// run in the same tick shares one pipeline (one write, one read of the replies); on a cluster,
// each command goes on its own and auto-pipelining groups them per node.
import type { ChainableCommander } from 'ioredis';
import { isCluster, type RedisClient } from './redis-connection';

type Replies = Array<[Error | null, unknown]>;
type Call = { readonly name: string; readonly args: unknown[] };

/** Commands made only as the tick's pipeline is sent, and where their replies go. */
interface LateCommands {
  readonly build: (batch: ChainableCommander) => void;
  resolve(replies: Replies): void;
  reject(error: unknown): void;
}

/** The pipeline of the current tick on one connection, and the replies' promise of each batch in it. */
interface TickPipeline {
  readonly pipeline: ChainableCommander;
  readonly replies: Promise<Replies>;
  /** Added by `commandsAtTickEnd`, built just before the pipeline is sent. */
  readonly late: LateCommands[];
  resolve(replies: Replies): void;
  reject(error: unknown): void;
}

const current = new WeakMap<RedisClient, TickPipeline>();

/**
 * A batch of independent commands answered together, in order.
 *
 * On one server the commands join the connection's pipeline of the current tick, sent once the
 * tick's synchronous work and promise callbacks are done: the store calls a handler makes
 * together (an inbox write beside a presence read, the ack removals beside the acked
 * positions), and those of partitions handled concurrently, travel in one write and are
 * answered in one read. Each batch gets its own commands' replies. (A pipeline per batch cost
 * a write and a read each; ioredis' auto-pipelining would share the write too, but at a promise,
 * a callback and a tick per command.)
 *
 * On a cluster a pipeline may only hold keys of one slot, so each command is sent on its own in
 * the same tick: auto-pipelining groups them into one write per node, and each command follows
 * its slot through redirections and failovers by itself.
 *
 * Either way, commands of one slot reach their node in the order they were added.
 */
export function commandBatch(redis: RedisClient): ChainableCommander {
  const calls: Call[] = [];
  const target = redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const batch: ChainableCommander = new Proxy({} as ChainableCommander, {
    get(_, property) {
      if (property === 'exec') return () => (isCluster(redis) ? sendEach(redis, calls) : joinTickPipeline(redis, calls));
      if (property === 'length') return calls.length;
      if (typeof property !== 'string' || typeof target[property] !== 'function') return undefined;
      return (...args: unknown[]) => {
        calls.push({ name: property, args });
        return batch;
      };
    },
  });
  return batch;
}

async function sendEach(redis: RedisClient, calls: readonly Call[]): Promise<Replies> {
  const target = redis as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const settled = await Promise.allSettled(calls.map(({ name, args }) => target[name]!.apply(redis, args)));
  return settled.map((result) => (result.status === 'fulfilled' ? [null, result.value] : [result.reason as Error, undefined]));
}

async function joinTickPipeline(redis: RedisClient, calls: readonly Call[]): Promise<Replies> {
  if (calls.length === 0) return [];
  const tick = tickPipeline(redis);
  const pipeline = tick.pipeline as unknown as Record<string, (...args: unknown[]) => unknown>;
  const from = tick.pipeline.length;
  for (const { name, args } of calls) pipeline[name]!(...args);
  const to = tick.pipeline.length;
  const all = await tick.replies;
  return all.slice(from, to);
}

/**
 * Commands built only when the connection's pipeline of the current tick is sent (one server
 * only): the calls of one tick hand in their work meanwhile, and `build` turns all of it into
 * fewer commands (one publish per gateway instead of one per call). `build` runs once, just
 * before the send, and must add its commands to `batch` synchronously; the promise resolves
 * with their replies (each [error, reply]).
 */
export function commandsAtTickEnd(redis: RedisClient, build: (batch: ChainableCommander) => void): Promise<Replies> {
  if (isCluster(redis)) throw new Error('commandsAtTickEnd: one server only (a cluster sends each command on its own)');
  const tick = tickPipeline(redis);
  return new Promise<Replies>((resolve, reject) => {
    tick.late.push({ build, resolve, reject });
  });
}

function tickPipeline(redis: RedisClient): TickPipeline {
  const tick = current.get(redis);
  if (tick) return tick;
  let resolve!: (replies: Replies) => void;
  let reject!: (error: unknown) => void;
  const replies = new Promise<Replies>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers await it themselves; a tick with only late commands may have none.
  replies.catch(() => undefined);
  const opened: TickPipeline = { pipeline: redis.pipeline(), replies, late: [], resolve, reject };
  current.set(redis, opened);
  // After the promise callbacks already queued: batches their chains issue join this one.
  process.nextTick(() => sendTick(redis, opened));
  return opened;
}

function sendTick(redis: RedisClient, tick: TickPipeline): void {
  current.delete(redis);
  const slices: Array<{ late: LateCommands; from: number; to: number }> = [];
  try {
    for (const late of tick.late) {
      const from = tick.pipeline.length;
      late.build(tick.pipeline);
      slices.push({ late, from, to: tick.pipeline.length });
    }
  } catch (error) {
    // A builder that throws fails the whole tick, as a pipeline that throws as it is sent does.
    tick.reject(error);
    for (const late of tick.late) late.reject(error);
    return;
  }
  if (slices.length > 0) {
    tick.replies.then(
      (all) => {
        for (const { late, from, to } of slices) late.resolve(all.slice(from, to));
      },
      (error: unknown) => {
        for (const { late } of slices) late.reject(error);
      },
    );
  }
  if (tick.pipeline.length === 0) {
    tick.resolve([]);
    return;
  }
  try {
    tick.pipeline.exec().then((all) => tick.resolve(all ?? []), tick.reject);
  } catch (error) {
    tick.reject(error);
  }
}

/**
 * Runs a pipeline (or a MULTI block, or a `commandBatch`) and returns each command's reply in
 * order, or throws the first command's error. Commands before and after a failed one may still
 * have taken effect: every caller's writes are idempotent or deduplicated, so a retry is safe.
 */
export async function execPipeline(pipeline: ChainableCommander): Promise<unknown[]> {
  const results = await pipeline.exec();
  if (!results) throw new Error('redis transaction aborted (a watched key changed)');
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
