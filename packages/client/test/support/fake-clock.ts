// A manual Clock for tests: @parley/protocol's FakeClock, the one the services' tests use.
export { FakeClock } from '@parley/protocol';
