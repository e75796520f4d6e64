// The demo page and the browser bundle in a real Chromium (playwright-core, the system's
// /usr/bin/chromium; never a downloaded browser) against an embedded parley in this process:
// two users chat 1:1 and in a group with delivery ticks, a reload shows the history, and with
// WebSocket refused the SDK falls back to long-polling and the chat still works.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startParleyServer, type ParleyServer } from '../../src';

const CHROMIUM = '/usr/bin/chromium';
/** Flags that work on these machines (docs: /work/shared/INFRA-NOTES.md "Browser tests"). */
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const ARTIFACTS = join(__dirname, '..', '..', '..', '..', 'test-artifacts');
const WAIT = { timeout: 20_000 };

describe('the demo page in Chromium', () => {
  let server: ParleyServer;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Not a skip: CI installs Chromium (.ci/run), so a missing one is a broken machine.
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium\` (.ci/run does)`);
    server = await startParleyServer({ PARLEY_GATEWAY_PORT: '0', PARLEY_GATEWAY_HOST: '127.0.0.1', PARLEY_LOG_LEVEL: 'warn' });
    base = `http://127.0.0.1:${server.port}`;
    // launch() gives Chromium a fresh user-data-dir of its own (and removes it on close).
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, chromiumSandbox: false, args: CHROMIUM_FLAGS });
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A fresh browser profile on the demo page, signed in as `user`. */
  async function signIn(user: string, prepare?: (context: BrowserContext) => Promise<void>): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
    contexts.push(context);
    await prepare?.(context);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(`${base}/`);
    await page.fill('#name', user);
    await page.click('#login button');
    await page.locator('#state', { hasText: /^connected$/ }).waitFor(WAIT).catch((err: Error) => {
      throw new Error(`${user} did not connect (page errors: ${errors.join('; ') || 'none'}): ${err.message}`);
    });
    return page;
  }

  const openChat = async (page: Page, peer: string) => {
    await page.fill('#peer', peer);
    await page.click('#new-chat button');
  };
  const selectConversation = (page: Page, id: string) => page.locator(`#conversations li[data-conversation="${id}"]`).click(WAIT);
  const say = async (page: Page, text: string) => {
    await page.fill('#text', text);
    await page.click('#compose button');
  };
  const message = (page: Page, text: string) => page.locator(`#messages .msg[data-text="${text}"]`);
  const tick = (page: Page, text: string) => message(page, text).locator('.tick');
  /** The SDK's device record in the page's localStorage (its default store in browsers). */
  const deviceRecord = async (page: Page): Promise<{ deviceId: string; counters: Record<string, number> }> =>
    JSON.parse(
      (await page.evaluate(() => (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage.getItem('parley.device'))) ?? 'null',
    ) as { deviceId: string; counters: Record<string, number> };

  it('chats 1:1 and in a group with ticks, and shows the history after a reload', async () => {
    const alice = await signIn('alice');
    const bob = await signIn('bob');
    expect(await alice.textContent('#transport')).toBe('websocket');

    await openChat(alice, 'bob');
    await say(alice, 'hello bob');
    await selectConversation(bob, 'd:alice:bob');
    await message(bob, 'hello bob').waitFor(WAIT);
    // Two ticks once bob's page acked it (and "read" once it showed it: bob has the chat open).
    await tick(alice, 'hello bob').and(alice.locator('[data-status="delivered"], [data-status="read"]')).waitFor(WAIT);
    await say(bob, 'hi alice');
    await message(alice, 'hi alice').waitFor(WAIT);

    // A receiver who never connected: the message waits in the inbox ("stored").
    await openChat(alice, 'carol');
    await say(alice, 'hello carol');
    await tick(alice, 'hello carol').and(alice.locator('[data-status="stored"]')).waitFor(WAIT);

    await alice.fill('#group-id', 'team');
    await alice.fill('#group-members', 'bob, carol');
    await alice.click('#new-group button');
    await alice.locator('#title', { hasText: '# team' }).waitFor(WAIT);
    await say(alice, 'hello team');
    await tick(alice, 'hello team').and(alice.locator('[data-status="sent"]')).waitFor(WAIT); // a group message has no per-member delivery
    await selectConversation(bob, 'g:team');
    await message(bob, 'hello team').waitFor(WAIT);
    await say(bob, 'hi team');
    await message(alice, 'hi team').waitFor(WAIT);
    expect(await message(alice, 'hi team').locator('.from').textContent()).toBe('bob');

    await selectConversation(alice, 'd:alice:bob');
    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.screenshot({ path: join(ARTIFACTS, 'demo.png') });

    // The page's client keeps its device and counters in localStorage: a reload continues them.
    const before = await deviceRecord(bob);
    expect(before.counters).toEqual({ 'bob d:alice:bob': 1, 'bob g:team': 1 });
    // A reload starts a fresh client: conversations() then sync() of each brings everything back, once.
    await bob.reload();
    await bob.locator('#state', { hasText: /^connected$/ }).waitFor(WAIT);
    await selectConversation(bob, 'd:alice:bob');
    await message(bob, 'hello bob').waitFor(WAIT);
    await message(bob, 'hi alice').waitFor(WAIT);
    await selectConversation(bob, 'g:team');
    await message(bob, 'hi team').waitFor(WAIT);
    expect(await bob.locator('#messages .msg').evaluateAll((els) => els.map((el) => (el as unknown as { dataset: { text: string } }).dataset.text))).toEqual([
      'hello team',
      'hi team',
    ]);
    await say(bob, 'back again');
    await selectConversation(alice, 'g:team');
    await message(alice, 'back again').waitFor(WAIT);
    const after = await deviceRecord(bob);
    expect(after.deviceId).toBe(before.deviceId);
    expect(after.counters['bob g:team']).toBe(2);
  });

  it('ticks a message to an offline user stored, then ✓✓ when that user logs in, then read when the chat is opened; a reload keeps every tick and unread count', async () => {
    const status = (page: Page, text: string) => tick(page, text).getAttribute('data-status');
    const unread = (page: Page, id: string) => page.locator(`#conversations li[data-conversation="${id}"] .unread`);
    const alice = await signIn('rt-alice');
    await openChat(alice, 'rt-bob');
    await say(alice, 'are you there?');
    await tick(alice, 'are you there?').and(alice.locator('[data-status="stored"]')).waitFor(WAIT);
    expect(await tick(alice, 'are you there?').textContent()).toContain('stored');
    const carol = await signIn('rt-carol');
    await openChat(carol, 'rt-bob');
    await say(carol, 'ping from carol');
    await tick(carol, 'ping from carol').and(carol.locator('[data-status="stored"]')).waitFor(WAIT);

    // bob logs in: his inbox is pulled, so alice's message is delivered (✓✓); he has not opened the chat yet.
    const bob = await signIn('rt-bob');
    await tick(alice, 'are you there?').and(alice.locator('[data-status="delivered"]')).waitFor(WAIT);
    expect(await tick(alice, 'are you there?').textContent()).toBe('✓✓');
    await unread(bob, 'd:rt-alice:rt-bob').and(bob.locator(':text-is("1")')).waitFor(WAIT);
    await unread(bob, 'd:rt-bob:rt-carol').and(bob.locator(':text-is("1")')).waitFor(WAIT);

    // bob opens alice's chat: read.
    await selectConversation(bob, 'd:rt-alice:rt-bob');
    await message(bob, 'are you there?').waitFor(WAIT);
    await tick(alice, 'are you there?').and(alice.locator('[data-status="read"]')).waitFor(WAIT);
    expect(await unread(bob, 'd:rt-alice:rt-bob').count()).toBe(0);
    await say(bob, 'yes, here — and a long word: ' + 'x'.repeat(300));
    await message(alice, 'yes, here — and a long word: ' + 'x'.repeat(300)).waitFor(WAIT);
    mkdirSync(ARTIFACTS, { recursive: true });
    await alice.screenshot({ path: join(ARTIFACTS, 'demo-ticks-alice.png') });
    await bob.screenshot({ path: join(ARTIFACTS, 'demo-ticks-bob.png') });

    // Long words wrap inside the bubble; every message shows its time; the page has an icon.
    const long = message(alice, 'yes, here — and a long word: ' + 'x'.repeat(300));
    expect(await long.evaluate((el) => (el as unknown as { scrollWidth: number; clientWidth: number }).scrollWidth <= (el as unknown as { clientWidth: number }).clientWidth)).toBe(true);
    expect(await long.locator('time').textContent()).toMatch(/\d/);
    expect(await alice.locator('link[rel="icon"]').count()).toBe(1);

    // A reload keeps every tick, every unread count, and the open conversation.
    await alice.reload();
    await alice.locator('#state', { hasText: /^connected$/ }).waitFor(WAIT);
    await alice.locator('#title[data-conversation="d:rt-alice:rt-bob"]').waitFor(WAIT);
    await message(alice, 'are you there?').waitFor(WAIT);
    expect(await status(alice, 'are you there?')).toBe('read');
    await bob.reload();
    await bob.locator('#state', { hasText: /^connected$/ }).waitFor(WAIT);
    await bob.locator('#title[data-conversation="d:rt-alice:rt-bob"]').waitFor(WAIT);
    await message(bob, 'are you there?').waitFor(WAIT);
    await unread(bob, 'd:rt-bob:rt-carol').and(bob.locator(':text-is("1")')).waitFor(WAIT);
    expect(await unread(bob, 'd:rt-alice:rt-bob').count()).toBe(0);
    expect(await status(carol, 'ping from carol')).toBe('delivered');

    // A user name that cannot exist is refused at once, and the error goes when another chat is picked.
    await bob.fill('#peer', 'not a name!');
    await bob.click('#new-chat button');
    await bob.locator('#error', { hasText: 'is not a user name' }).waitFor(WAIT);
    expect(await bob.locator('#title').getAttribute('data-conversation')).toBe('d:rt-alice:rt-bob');
    await selectConversation(bob, 'd:rt-bob:rt-carol');
    expect(await bob.textContent('#error')).toBe('');
    await tick(carol, 'ping from carol').and(carol.locator('[data-status="read"]')).waitFor(WAIT);
  });

  it('two tabs of one user speak for two devices, so their sends never collide', async () => {
    const alice = await signIn('tabs-alice');
    const first = await signIn('tabs-bob');
    const second = await first.context().newPage();
    await second.goto(`${base}/`);
    await second.fill('#name', 'tabs-bob');
    await second.click('#login button');
    await second.locator('#state', { hasText: /^connected$/ }).waitFor(WAIT);
    for (const page of [first, second]) await openChat(page, 'tabs-alice');
    for (let i = 0; i < 3; i++) {
      await say(first, `first ${i}`);
      await say(second, `second ${i}`);
    }
    await selectConversation(alice, 'd:tabs-alice:tabs-bob');
    for (let i = 0; i < 3; i++) for (const tab of ['first', 'second']) await message(alice, `${tab} ${i}`).waitFor(WAIT);
    const records = await first.evaluate(() => {
      const storage = (globalThis as unknown as { localStorage: { length: number; key(i: number): string | null; getItem(key: string): string | null } }).localStorage;
      const found: Record<string, string> = {};
      for (let i = 0; i < storage.length; i++) {
        const key = storage.key(i)!;
        // Device records only (beside them: leases, the ticks records, the page's open conversation).
        if (key.startsWith('parley.device') && !key.includes('.lease.') && !key.includes('.ticks.')) found[key] = (JSON.parse(storage.getItem(key)!) as { deviceId: string }).deviceId;
      }
      return found;
    });
    expect(Object.keys(records).sort()).toEqual(['parley.device', 'parley.device.1']);
    expect(records['parley.device']).not.toBe(records['parley.device.1']);
  });

  it('falls back to long-polling when WebSocket is refused, and the chat still works', async () => {
    // Every upgrade to /ws dies before its welcome, as behind a proxy that drops Upgrade.
    const dave = await signIn('dave', (context) => context.routeWebSocket(/\/ws/, (ws) => ws.close({ code: 1011, reason: 'blocked by test' })));
    expect(await dave.textContent('#transport')).toBe('long-poll');
    const erin = await signIn('erin');
    expect(await erin.textContent('#transport')).toBe('websocket');

    await openChat(dave, 'erin');
    await say(dave, 'over http');
    await selectConversation(erin, 'd:dave:erin');
    await message(erin, 'over http').waitFor(WAIT);
    await tick(dave, 'over http').and(dave.locator('[data-status="delivered"], [data-status="read"]')).waitFor(WAIT);
    await say(erin, 'over websocket');
    await message(dave, 'over websocket').waitFor(WAIT);
    mkdirSync(ARTIFACTS, { recursive: true });
    await dave.screenshot({ path: join(ARTIFACTS, 'demo-long-poll.png') });
  });
});
