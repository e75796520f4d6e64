// The demo chat page: a name (token from /dev/token), 1:1 chats and groups, messages with
// delivery ticks, the connection state and transport, and history after a reload
// (conversations() then sync() of each). Plain DOM, no framework; the SDK is window.Parley.
'use strict';

const $ = (id) => document.getElementById(id);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** id → { id, title, messages: Map(key → message), unread } */
const conversations = new Map();
let me = '';
let selected = '';
let client;
let order = 0;

const TICKS = {
  sending: ['…', 'sending'],
  sent: ['✓', 'stored by the server (msg:A)'],
  delivered: ['✓✓', 'delivered'],
  stored: ['🕓 stored', 'stored for an offline receiver'],
  history: ['✓', 'sent earlier'],
};

function conversation(id) {
  let c = conversations.get(id);
  if (!c) {
    c = { id, title: titleOf(id), messages: new Map(), unread: 0 };
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

function put(conversationId, message) {
  const c = conversation(conversationId);
  const known = c.messages.get(message.key);
  c.messages.set(message.key, known ? { ...known, ...message, order: known.order } : { ...message, order: order++ });
  if (!known && conversationId !== selected && !message.mine) c.unread += 1;
  if (conversationId === selected) renderMessages();
  renderList();
}

// --- rendering ---------------------------------------------------------------------------------

function renderList() {
  const list = $('conversations');
  list.replaceChildren(
    ...[...conversations.values()].map((c) => {
      const li = document.createElement('li');
      li.dataset.conversation = c.id;
      li.setAttribute('aria-selected', String(c.id === selected));
      li.append(c.title);
      if (c.unread > 0) {
        const badge = document.createElement('span');
        badge.className = 'unread';
        badge.textContent = String(c.unread);
        li.append(badge);
      }
      li.onclick = () => select(c.id);
      return li;
    }),
  );
}

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
      div.append(text);
      if (m.mine) {
        const [mark, title] = TICKS[m.status] ?? TICKS.history;
        const tick = document.createElement('span');
        tick.className = 'tick';
        tick.dataset.status = m.status;
        tick.title = title;
        tick.textContent = mark;
        div.append(tick);
      }
      return div;
    }),
  );
  box.scrollTop = box.scrollHeight;
}

function select(id) {
  selected = id;
  const c = conversation(id);
  c.unread = 0;
  $('title').textContent = c.title;
  $('title').dataset.conversation = id;
  $('text').disabled = $('compose').querySelector('button').disabled = false;
  $('text').focus();
  renderList();
  renderMessages();
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
    put(m.conversation, { key: `${m.fromUser}/${m.msgId}`, msgId: m.msgId, from: m.fromUser, text: decoder.decode(m.payload), seq: m.position.seq, mine, status: 'history' });
  });
  client.on('ack', (a) => {
    const c = conversations.get(a.conversation);
    const m = c?.messages.get(`${me}/${a.msgId}`);
    if (!m) return;
    // DELIVERED is final; STORED_OFFLINE may be followed by DELIVERED, never the reverse.
    const status = a.status === 'STORED_OFFLINE' ? (m.status === 'delivered' ? 'delivered' : 'stored') : 'delivered';
    put(a.conversation, { ...m, seq: a.position.seq, status });
  });
  client.on('reset', (r) => {
    if (r.to.seq < 1) return; // a new epoch from its start: nothing to show
    put(r.conversation, { key: `break/${r.to.epoch}/${r.to.seq}`, kind: 'break', text: `${(r.from?.seq ?? 0) + 1}…${r.to.seq}`, seq: r.to.seq + 0.5 });
  });
  client.on('error', (e) => showError(`${e.codeName ?? e.code}: ${e.message}`));
  try {
    await client.connect();
    // History after a reload: every conversation, each synced from its oldest kept message.
    const list = await client.conversations();
    for (const entry of list) conversation(entry.conversation);
    if (!selected && list[0]) select(list[0].conversation);
    await Promise.all(list.map((entry) => client.sync(entry.conversation)));
  } catch (err) {
    showError(err);
  }
}

async function send(text) {
  const c = conversation(selected);
  const msgId = newMsgId();
  put(c.id, { key: `${me}/${msgId}`, msgId, from: me, text, mine: true, status: 'sending' });
  try {
    const payload = encoder.encode(text);
    const receipt = c.id.startsWith('g:') ? await client.sendToConversation(c.id, payload, { msgId }) : await client.send(titleOf(c.id), payload, { msgId });
    const m = c.messages.get(`${me}/${msgId}`);
    // An ack:N may have overtaken the msg:A: never step a tick back.
    if (m) put(c.id, { ...m, seq: receipt.seq, status: m.status === 'sending' ? 'sent' : m.status });
  } catch (err) {
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
  if (!peer || peer === me) return showError('pick someone else');
  showError('');
  $('peer').value = '';
  select(directId(me, peer));
};

$('new-group').onsubmit = async (event) => {
  event.preventDefault();
  const id = $('group-id').value.trim();
  const members = $('group-members').value.split(',').map((s) => s.trim()).filter(Boolean);
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

const remembered = new URLSearchParams(location.search).get('user') || sessionStorage.getItem('parley.user');
if (remembered) void start(remembered);
