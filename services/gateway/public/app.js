// The demo chat page: a name (token from /dev/token), 1:1 chats and groups, messages with
// their ticks (sent ✓, stored, delivered ✓✓, read: the SDK's messageState, kept in its store),
// unread counts from the read positions, typing indicators, the connection state and
// transport, and everything as it was after a reload (conversations() then sync() of each;
// the open conversation is remembered). Plain DOM, no framework; the SDK is window.Parley.
'use strict';

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** User ids as the server takes them (PROTOCOL.md): checked before anything is sent. */
const USER_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const GROUP_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** How long a typing indicator shows after the last typing:N, in ms (PROTOCOL.md). */
const TYPING_SHOWN_MS = 6_000;

/** id → { id, title, messages: Map(key → message), typing: Map(user → until ms) } */
const conversations = new Map();
let me = '';
let selected = '';
let client;
let order = 0;

/** What each state shows: [mark, title]. 'sending' and 'failed' are the page's own (before msg:A, refused). */
const TICKS = {
  sending: ['…', 'sending'],
  failed: ['✗ not sent', 'refused by the server'],
  sent: ['✓', 'stored by the server'],
  stored: ['🕓 stored', 'waiting for the receiver to come online'],
  delivered: ['✓✓', 'delivered to a device of the receiver'],
  read: ['✓✓ read', 'read'],
};

function conversation(id) {
  let c = conversations.get(id);
  if (!c) {
    c = { id, title: titleOf(id), messages: new Map(), typing: new Map() };
    conversations.set(id, c);
    renderList();
  }
  return c;
}

function titleOf(id) {
  if (id.startsWith('g:')) return `# ${id.slice(2)}`;
  const [, a, b] = id.split(':');
  return a === me ? b : a;
}

const directId = (a, b) => `d:${[a, b].sort().join(':')}`;
const newMsgId = () => (crypto.randomUUID ? crypto.randomUUID().replace(/-/g, '') : String(Date.now()) + Math.random().toString(16).slice(2));
const selectedKey = () => `parley.demo.open.${me}`;

function put(conversationId, message) {
  const c = conversation(conversationId);
  const known = c.messages.get(message.key);
  c.messages.set(message.key, known ? { ...known, ...message, order: known.order } : { ...message, order: order++ });
  if (!message.mine) c.typing.delete(message.from);
  if (conversationId === selected) {
    renderMessages();
    renderTyping();
    markSeen();
  }
  renderList();
}

/** Messages of others after our read position: the unread count (the same after a reload: the position is in the SDK's store). */
function unreadOf(c) {
  const read = client?.readPosition(c.id);
  let count = 0;
  for (const m of c.messages.values()) {
    if (m.mine || m.kind === 'break') continue;
    if (!read || m.epoch !== read.epoch || m.seq > read.seq) count += 1;
  }
  return count;
}

/** The open conversation is seen while the page is visible: read up to its last message from someone else. */
function markSeen() {
  const c = conversations.get(selected);
  if (!c || document.visibilityState !== 'visible') return;
  let last;
  for (const m of c.messages.values()) if (!m.mine && m.kind !== 'break' && m.seq && (!last || m.seq > last.seq)) last = m;
  const read = client.readPosition(c.id);
  if (last && (!read || read.epoch !== last.epoch || read.seq < last.seq)) client.markRead(c.id, { epoch: last.epoch, seq: last.seq });
}

// --- rendering ---------------------------------------------------------------------------------

function renderList() {
  const list = $('conversations');
  list.replaceChildren(
    ...[...conversations.values()].map((c) => {
      const li = document.createElement('li');
      li.dataset.conversation = c.id;
      li.setAttribute('aria-selected', String(c.id === selected));
      const name = document.createElement('span');
      name.className = 'name';
      name.textContent = c.title;
      li.append(name);
      const unread = c.id === selected ? 0 : unreadOf(c);
      if (unread > 0) {
        const badge = document.createElement('span');
        badge.className = 'unread';
        badge.textContent = String(unread);
        li.append(badge);
      }
      li.onclick = () => select(c.id);
      return li;
    }),
  );
}

const timeOf = (ms) => (ms ? new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '');

function renderMessages() {
  const c = conversations.get(selected);
  const box = $('messages');
  if (!c) return box.replaceChildren();
  // Position order; our sends not yet accepted (no seq) last, in the order typed.
  const sorted = [...c.messages.values()].sort((x, y) => (x.seq ?? Infinity) - (y.seq ?? Infinity) || x.order - y.order);
  box.replaceChildren(
    ...sorted.map((m) => {
      const div = document.createElement('div');
      if (m.kind === 'break') {
        div.className = 'break';
        div.textContent = `— messages ${m.text} are gone —`;
        return div;
      }
      div.className = m.mine ? 'msg mine' : 'msg';
      div.dataset.msgId = m.msgId;
      div.dataset.text = m.text;
      if (c.id.startsWith('g:') && !m.mine) {
        const from = document.createElement('div');
        from.className = 'from';
        from.textContent = m.from;
        div.append(from);
      }
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = m.text;
      const meta = document.createElement('span');
      meta.className = 'meta';
      const time = document.createElement('time');
      time.textContent = timeOf(m.atMs);
      if (m.atMs) time.dateTime = new Date(m.atMs).toISOString();
      meta.append(time);
      if (m.mine) {
        const status = statusOf(m);
        const [mark, title] = TICKS[status] ?? TICKS.sent;
        const tick = document.createElement('span');
        tick.className = 'tick';
        tick.dataset.status = status;
        tick.title = title;
        tick.textContent = mark;
        meta.append(tick);
      }
      div.append(meta, text);
      return div;
    }),
  );
  box.scrollTop = box.scrollHeight;
}

/** Ours: the SDK's state once it has one (also after a reload: its store keeps it), else the page's own. */
function statusOf(m) {
  if (m.status === 'failed') return 'failed';
  return client.messageState(m.msgId)?.state ?? m.status;
}

function renderTyping() {
  const c = conversations.get(selected);
  const now = Date.now();
  const who = c ? [...c.typing].filter(([, until]) => until > now).map(([user]) => user) : [];
  $('typing').textContent = who.length === 0 ? '' : `${who.join(', ')} ${who.length === 1 ? 'is' : 'are'} typing…`;
}

function select(id) {
  selected = id;
  localStorage.setItem(selectedKey(), id);
  const c = conversation(id);
  showError(''); // an error belongs to the chat it happened in
  $('title-text').textContent = c.title;
  $('title').dataset.conversation = id;
  $('text').disabled = $('compose').querySelector('button').disabled = false;
  $('text').focus();
  renderList();
  renderMessages();
  renderTyping();
  markSeen();
}

function showState(state) {
  $('connection').dataset.state = state;
  $('state').textContent = state;
  $('transport').textContent = (state === 'connected' && client.transport) || '–';
}

function showError(err) {
  $('error').textContent = err ? String(err.message ?? err) : '';
}

// --- the client ---------------------------------------------------------------------------------

async function start(name) {
  me = name;
  sessionStorage.setItem('parley.user', name);
  $('login').hidden = true;
  $('app').hidden = false;
  $('me').textContent = name;
  client = new Parley.ParleyClient({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`,
    getToken: async () => {
      const answer = await fetch(`/dev/token?user=${encodeURIComponent(name)}`);
      if (!answer.ok) throw new Error(`token refused (${answer.status})`);
      return (await answer.json()).token;
    },
  });
  window.parleyDemo = { client };
  client.on('state', showState);
  client.on('transport', () => showState(client.state));
  client.on('message', (m) => {
    const mine = m.fromUser === me; // sent from another device, or history after a reload
    put(m.conversation, { key: `${m.fromUser}/${m.msgId}`, msgId: m.msgId, from: m.fromUser, text: decoder.decode(m.payload), epoch: m.position.epoch, seq: m.position.seq, atMs: m.serverTimeMs, mine, status: 'sent' });
  });
  client.on('messageState', (tick) => {
    const m = conversations.get(tick.conversation)?.messages.get(`${me}/${tick.msgId}`);
    if (m) put(tick.conversation, { ...m, epoch: tick.position.epoch, seq: tick.position.seq });
  });
  client.on('read', (r) => {
    if (r.user === me) renderList(); // read on another device (or before a reload): the unread count follows
  });
  client.on('typing', (t) => {
    conversation(t.conversation).typing.set(t.user, Date.now() + TYPING_SHOWN_MS);
    renderTyping();
    setTimeout(renderTyping, TYPING_SHOWN_MS + 50);
  });
  client.on('reset', (r) => {
    if (r.to.seq < 1) return; // a new epoch from its start: nothing to show
    put(r.conversation, { key: `break/${r.to.epoch}/${r.to.seq}`, kind: 'break', text: `${(r.from?.seq ?? 0) + 1}…${r.to.seq}`, seq: r.to.seq + 0.5 });
  });
  client.on('error', (e) => showError(`${e.codeName ?? e.code}: ${e.message}`));
  try {
    await client.connect();
    // After a reload: every conversation, each synced from its oldest kept message; the one
    // that was open opens again.
    const list = await client.conversations();
    for (const entry of list) conversation(entry.conversation);
    const open = localStorage.getItem(selectedKey());
    if (!selected && open && (conversations.has(open) || open.startsWith('d:'))) select(open);
    await Promise.all(list.map((entry) => client.sync(entry.conversation)));
  } catch (err) {
    showError(err);
  }
}

async function send(text) {
  const c = conversation(selected);
  const msgId = newMsgId();
  put(c.id, { key: `${me}/${msgId}`, msgId, from: me, text, mine: true, status: 'sending', atMs: Date.now() });
  try {
    const payload = encoder.encode(text);
    const receipt = c.id.startsWith('g:') ? await client.sendToConversation(c.id, payload, { msgId }) : await client.send(titleOf(c.id), payload, { msgId });
    const m = c.messages.get(`${me}/${msgId}`);
    if (m) put(c.id, { ...m, epoch: receipt.epoch, seq: receipt.seq, status: 'sent' });
  } catch (err) {
    // Refused for good (or the client closed): it will not be sent; say so, never "…" forever.
    const m = c.messages.get(`${me}/${msgId}`);
    if (m) put(c.id, { ...m, status: 'failed' });
    showError(err);
  }
}

// --- forms --------------------------------------------------------------------------------------

$('login').onsubmit = (event) => {
  event.preventDefault();
  void start($('name').value.trim());
};

$('new-chat').onsubmit = (event) => {
  event.preventDefault();
  const peer = $('peer').value.trim();
  if (!USER_ID.test(peer)) return showError(`"${peer}" is not a user name: 1 to 64 letters, digits, '.', '_' or '-'`);
  if (peer === me) return showError('pick someone else');
  showError('');
  $('peer').value = '';
  select(directId(me, peer));
};

$('new-group').onsubmit = async (event) => {
  event.preventDefault();
  const id = $('group-id').value.trim();
  const members = $('group-members').value.split(',').map((s) => s.trim()).filter(Boolean);
  if (!GROUP_ID.test(id)) return showError(`"${id}" is not a group id: 1 to 64 letters, digits, '_' or '-'`);
  const bad = members.find((member) => !USER_ID.test(member));
  if (bad !== undefined) return showError(`"${bad}" is not a user name: 1 to 64 letters, digits, '.', '_' or '-'`);
  showError('');
  try {
    const group = await client.createGroup(id, members);
    $('group-id').value = $('group-members').value = '';
    select(group.conversation);
  } catch (err) {
    showError(err);
  }
};

$('compose').onsubmit = (event) => {
  event.preventDefault();
  const text = $('text').value;
  if (!text || !selected) return;
  $('text').value = '';
  void send(text);
};

$('text').oninput = () => {
  if (selected && $('text').value) client.typing(selected);
};

document.addEventListener('visibilitychange', markSeen);

const remembered = new URLSearchParams(location.search).get('user') || sessionStorage.getItem('parley.user');
if (remembered) void start(remembered);
