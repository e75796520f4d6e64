import { loadNativeUws, NativeUwsUnavailableError } from '../../src/native-uws';

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
});
