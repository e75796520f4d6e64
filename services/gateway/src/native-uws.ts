// Loads uWebSockets.js and refuses its silent JavaScript fallback: the npm build we
// use falls back to a `ws`-based server (several times slower, several times the
// memory) when its native binary does not load for this Node version or platform.
import type * as uws from 'uWebSockets.js';

/** The Node ABI (process.versions.modules) of Node 20, the one line the native build exists for. */
export const NATIVE_UWS_ABI = '115';
const NATIVE_PLATFORMS = new Set(['linux/x64', 'linux/arm64', 'darwin/x64', 'darwin/arm64']);

/** The runtime the native binary failed to load on. */
export interface UwsRuntime {
  readonly nodeVersion: string;
  readonly abi: string;
  readonly platform: string;
  readonly arch: string;
  /** UWS_USE_FALLBACK asked for the fallback. */
  readonly fallbackRequested: boolean;
}

/** What a person must do to get the native binary: the part of the error that says how. */
export function nativeUwsAdvice(runtime: UwsRuntime): string {
  if (runtime.fallbackRequested) return 'Unset UWS_USE_FALLBACK.';
  if (!NATIVE_PLATFORMS.has(`${runtime.platform}/${runtime.arch}`)) {
    return `Its native binaries exist for linux and darwin on x64 and arm64 only, not ${runtime.platform}/${runtime.arch}: run parley on one of those (a Linux container works).`;
  }
  if (runtime.abi !== NATIVE_UWS_ABI) {
    return (
      `This is Node ${runtime.nodeVersion}; the native build parley can install exists for Node 20 (ABI ${NATIVE_UWS_ABI}) and needs glibc 2.36 or older on Linux ` +
      '(README, "Why Node 20"). Install Node 20 and run the command again with it: with nvm, `nvm install && nvm use` in the repository (both read .nvmrc); ' +
      'otherwise Node 20 from https://nodejs.org/dist/latest-v20.x/ or your package manager. node_modules can stay as it is.'
    );
  }
  return 'Node 20 is right: the binary itself did not load, most likely because this Linux has a glibc newer or older than the build (2.36 works). Reinstall with `npm ci` and check `ldd --version`.';
}

/** Thrown when only the slow JavaScript fallback of uWebSockets.js is available. */
export class NativeUwsUnavailableError extends Error {
  constructor(runtime: UwsRuntime) {
    super(
      `uWebSockets.js native binary not loaded (Node ${runtime.nodeVersion}, ABI ${runtime.abi}, ${runtime.platform}/${runtime.arch}${runtime.fallbackRequested ? ', UWS_USE_FALLBACK set' : ''}). ` +
        `parley refuses to run on the JavaScript fallback (several times slower, several times the memory). ${nativeUwsAdvice(runtime)}`,
    );
    this.name = 'NativeUwsUnavailableError';
  }
}

function currentRuntime(fallbackRequested: boolean): UwsRuntime {
  return { nodeVersion: process.version, abi: process.versions.modules, platform: process.platform, arch: process.arch, fallbackRequested };
}

type UwsModule = typeof uws;

export function loadNativeUws(): UwsModule {
  const flag = process.env.UWS_USE_FALLBACK;
  if (flag && /^(true|1)$/i.test(flag)) throw new NativeUwsUnavailableError(currentRuntime(true));
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
    throw new NativeUwsUnavailableError(currentRuntime(false));
  }
  return module;
}
