// Loads uWebSockets.js and refuses its silent JavaScript fallback: the npm build we
// use falls back to a `ws`-based server (several times slower, several times the
// memory) when its native binary does not load for this Node version or platform.
import type * as uws from 'uWebSockets.js';

/** Thrown when only the slow JavaScript fallback of uWebSockets.js is available. */
export class NativeUwsUnavailableError extends Error {
  constructor(reason: string) {
    super(
      `uWebSockets.js native binary not loaded (${reason}). parley refuses to run on the JavaScript fallback: ` +
        `use Node.js 20 (ABI 115) on linux/darwin x64/arm64, and unset UWS_USE_FALLBACK.`,
    );
    this.name = 'NativeUwsUnavailableError';
  }
}

type UwsModule = typeof uws;

export function loadNativeUws(): UwsModule {
  const flag = process.env.UWS_USE_FALLBACK;
  if (flag && /^(true|1)$/i.test(flag)) throw new NativeUwsUnavailableError('UWS_USE_FALLBACK is set');
  // The package's loader prints a warning and returns the fallback when the binary
  // fails to load; the native module is recognisable by exports the fallback lacks.
  const warn = console.warn;
  const log = console.log;
  let module: UwsModule;
  try {
    console.warn = () => undefined;
    console.log = () => undefined;
    module = require('uWebSockets.js') as UwsModule;
  } finally {
    console.warn = warn;
    console.log = log;
  }
  const exported = module as unknown as Record<string, unknown>;
  if (typeof exported.SSLApp !== 'function' || typeof exported.getParts !== 'function') {
    throw new NativeUwsUnavailableError(`Node ${process.version}, ABI ${process.versions.modules}, ${process.platform}/${process.arch}`);
  }
  return module;
}
