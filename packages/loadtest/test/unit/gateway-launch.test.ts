// The bench and the local cluster start a gateway process with the Node flags it ships with
// (GATEWAY_NODE_FLAGS, as its Kubernetes Deployment does); the other processes keep Node's defaults.
import { GATEWAY_NODE_FLAGS } from '@parley/gateway';
import { parleyArgv } from '../../src/bench/bench-servers';
import { serviceExecArgv } from '../../src/chaos/local-cluster';

it('starts the bench gateway alone with the gateway flags, before its script', () => {
  const argv = parleyArgv('parley-gateway');
  expect(GATEWAY_NODE_FLAGS.length).toBeGreaterThan(0);
  expect(argv.slice(0, GATEWAY_NODE_FLAGS.length)).toEqual([...GATEWAY_NODE_FLAGS]);
  expect(argv[argv.length - 1]).toMatch(/services\/server\/dist\/main\.js$/);
});

it("starts the bench's all-in-one server as npm start does, without them", () => {
  expect(parleyArgv('parley')).toHaveLength(1);
});

it('gives the local cluster gateway the gateway flags, then the caller flags', () => {
  expect(serviceExecArgv('gateway', ['--cpu-prof'])).toEqual([...GATEWAY_NODE_FLAGS, '--cpu-prof']);
  expect(serviceExecArgv('sequencer', ['--cpu-prof'])).toEqual(['--cpu-prof']);
  expect(serviceExecArgv('delivery', [])).toEqual([]);
});
