// Entry point of one load-generating worker process (forked by the coordinator).
import { LoadWorker } from './load-worker';
import type { CoordinatorMessage, WorkerMessage } from './worker-protocol';

let worker: LoadWorker | undefined;
const post = (message: WorkerMessage): void => {
  if (process.connected) process.send?.(message);
};

process.on('message', (message: CoordinatorMessage) => {
  switch (message.type) {
    case 'start':
      worker = new LoadWorker(message.plan, post);
      worker.prepare(message.connectTimeoutMs).catch((err: Error) => post({ type: 'fatal', message: err.stack ?? err.message }));
      break;
    case 'go':
      worker?.go();
      break;
    case 'stop-sending':
      worker?.stopSending();
      break;
    case 'drain':
      worker?.draining();
      break;
    case 'storm':
      worker?.storm(message.percent);
      break;
    case 'finish': {
      if (!worker) process.exit(0);
      worker.finish().then(
        (result) => process.send?.({ type: 'result', result } satisfies WorkerMessage, undefined, {}, () => process.exit(0)),
        (err: Error) => post({ type: 'fatal', message: err.stack ?? err.message }),
      );
      break;
    }
  }
});
// The coordinator is gone: nothing left to report to.
process.on('disconnect', () => process.exit(0));
