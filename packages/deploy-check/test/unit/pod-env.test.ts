// The environment a kubelet would give a container, as the control-plane tier computes it to run
// the real services with the manifests' configuration.
import { containerEnv, type PodLike } from '../../src/pod-env';

const b64 = (s: string) => Buffer.from(s).toString('base64');

const pod: PodLike = {
  metadata: { name: 'parley-gateway-7d9f-abcde', namespace: 'parley-dev', labels: { 'app.kubernetes.io/component': 'gateway' } },
  spec: { nodeName: 'node-a', containers: [] },
  status: { podIP: '10.250.0.7' },
};

const sources = {
  configMaps: new Map([['parley-config', { PARLEY_GATEWAY_PORT: '8080', PARLEY_LOG_LEVEL: 'info' }]]),
  secrets: new Map([['parley-jwt', { PARLEY_JWT_SECRET: b64('secret-of-sixteen-chars') }]]),
};

test('envFrom first, then env overrides it; secrets are decoded; pod fields resolved', () => {
  const env = containerEnv(
    pod,
    {
      name: 'gateway',
      envFrom: [{ configMapRef: { name: 'parley-config' } }, { prefix: 'X_', secretRef: { name: 'parley-jwt' } }],
      env: [
        { name: 'PARLEY_LOG_LEVEL', value: 'debug' },
        { name: 'PARLEY_GATEWAY_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'COMPONENT', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app.kubernetes.io/component']" } } },
        { name: 'PARLEY_JWT_SECRET', valueFrom: { secretKeyRef: { name: 'parley-jwt', key: 'PARLEY_JWT_SECRET' } } },
        { name: 'PORT', valueFrom: { configMapKeyRef: { name: 'parley-config', key: 'PARLEY_GATEWAY_PORT' } } },
      ],
    },
    sources,
  );
  expect(env).toEqual({
    PARLEY_GATEWAY_PORT: '8080',
    PARLEY_LOG_LEVEL: 'debug',
    X_PARLEY_JWT_SECRET: 'secret-of-sixteen-chars',
    PARLEY_GATEWAY_ID: 'parley-gateway-7d9f-abcde',
    IP: '10.250.0.7',
    COMPONENT: 'gateway',
    PARLEY_JWT_SECRET: 'secret-of-sixteen-chars',
    PORT: '8080',
  });
});

test('a missing ConfigMap, Secret or key fails unless optional, as the kubelet refuses to start the container', () => {
  expect(() => containerEnv(pod, { name: 'c', envFrom: [{ configMapRef: { name: 'nope' } }] }, sources)).toThrow('ConfigMap nope not found');
  expect(containerEnv(pod, { name: 'c', envFrom: [{ secretRef: { name: 'nope', optional: true } }] }, sources)).toEqual({});
  expect(() => containerEnv(pod, { name: 'c', env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 'parley-jwt', key: 'NOPE' } } }] }, sources)).toThrow('has no key NOPE');
  expect(() => containerEnv(pod, { name: 'c', env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'status.phase' } } }] }, sources)).toThrow('not supported');
});
