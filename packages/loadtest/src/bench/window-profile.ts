// A CPU profile of one measured window of this process (not its start-up or warm-up), written as
// `<dir>/<name>.cpuprofile` for cpuprofile-summary.js.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import path from 'node:path';

export interface WindowProfile {
  /** Stops profiling and writes the file; resolves once it is written. */
  stop(): Promise<void>;
}

const NONE: WindowProfile = { stop: () => Promise.resolve() };

function post<T>(session: Session, method: string): Promise<T> {
  return new Promise((resolve, reject) => {
    session.post(method, (error, result) => (error ? reject(error) : resolve(result as T)));
  });
}

/** Starts profiling this process when `dir` is set (otherwise does nothing). */
export async function startWindowProfile(dir: string | undefined, name: string): Promise<WindowProfile> {
  if (!dir) return NONE;
  const session = new Session();
  session.connect();
  await post(session, 'Profiler.enable');
  await post(session, 'Profiler.start');
  return {
    async stop() {
      try {
        const { profile } = await post<{ profile: unknown }>(session, 'Profiler.stop');
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, `${name}.cpuprofile`), JSON.stringify(profile));
      } finally {
        session.disconnect();
      }
    },
  };
}
