// Time as a dependency of the client: retransmit, ack, heartbeat and reconnect timers all
// go through a Clock (@parley/protocol's, shared with the services), so tests drive them with
// its FakeClock instead of sleeping. The SDK's real timers are not unref'd: a client with
// pending work keeps a Node process alive, as its socket does; `ParleyClient.close()` clears them all.
export { SystemClock, type Clock, type TimerHandle } from '@parley/protocol';
