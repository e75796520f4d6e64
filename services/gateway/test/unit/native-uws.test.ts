import { loadNativeUws, nativeUwsAdvice, NativeUwsUnavailableError, UwsRuntime } from '../../src/native-uws';

describe('uWebSockets.js loading', () => {
  const saved = process.env.UWS_USE_FALLBACK;
  afterEach(() => {
    if (saved === undefined) delete process.env.UWS_USE_FALLBACK;
    else process.env.UWS_USE_FALLBACK = saved;
  });

  it('loads the native binary on this machine', () => {
    const uws = loadNativeUws() as unknown as Record<string, unknown>;
    expect(typeof uws.SSLApp).toBe('function');
    expect(typeof uws.getParts).toBe('function');
  });

  it('refuses to run on the JavaScript fallback', () => {
    process.env.UWS_USE_FALLBACK = '1';
    expect(() => loadNativeUws()).toThrow(NativeUwsUnavailableError);
    expect(() => loadNativeUws()).toThrow(/refuses to run on the JavaScript fallback/);
  });

  it('tells a user on Node 22 or 24 to install Node 20, and how', () => {
    for (const [nodeVersion, abi] of [['v22.11.0', '127'], ['v24.4.1', '137']] as const) {
      const runtime: UwsRuntime = { nodeVersion, abi, platform: 'linux', arch: 'x64', fallbackRequested: false };
      const message = new NativeUwsUnavailableError(runtime).message;
      expect(message).toContain(`Node ${nodeVersion}`);
      expect(message).toMatch(/refuses to run on the JavaScript fallback/);
      expect(message).toMatch(/Install Node 20/);
      expect(message).toMatch(/nvm install && nvm use/);
      expect(message).toMatch(/\.nvmrc/);
    }
  });

  it('names the cause when the Node version is not the problem', () => {
    const linux20 = { nodeVersion: 'v20.20.2', abi: '115', platform: 'linux', arch: 'x64', fallbackRequested: false };
    expect(nativeUwsAdvice({ ...linux20, fallbackRequested: true })).toBe('Unset UWS_USE_FALLBACK.');
    expect(nativeUwsAdvice({ ...linux20, platform: 'win32' })).toMatch(/linux and darwin on x64 and arm64 only, not win32\/x64/);
    expect(nativeUwsAdvice(linux20)).toMatch(/glibc/);
    expect(nativeUwsAdvice(linux20)).not.toMatch(/Install Node 20/);
  });
});
