// The Node.js flags a gateway process is started with, wherever it is started: the gateway's
// Kubernetes Deployment (NODE_OPTIONS), the local cluster of `npm run start:distributed` and
// `npm run chaos`, and the bench's gateway process. A unit test holds the manifest to this list.
//
// Why a bounded young generation: a gateway's heap is mostly its connections (~0.5 KB each,
// kept for as long as they last); what it allocates per message is short-lived. V8 doubles the
// young generation (up to 2 x 16 MB semi-spaces here) once the bytes surviving its scavenges
// since the last growth exceed its size, and a burst of handshakes (a reconnect storm, a
// deploy) makes every connection's state survive twice (copied, then promoted): a gateway
// taking 16,667 connections grew from 8 to 16 MB of new space, ~0.7 KB of RSS per connection,
// more than what the connections keep. With 2 MB semi-spaces the young generation stays at
// 4 MB; what survives goes to the old space, which the connections fill anyway. Measured cost
// under message load: in bench/results/idle-memory-2026-12-07b.md.
//
// Only the gateway: the sequencer and delivery allocate far more per message and keep little,
// and the all-in-one server (`npm start`) runs them too, so they keep V8's default.

/** Flags for `node` (or NODE_OPTIONS) of a process running the gateway alone. */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=2'];
