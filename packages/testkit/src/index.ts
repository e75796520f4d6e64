// Public surface of @parley/testkit: real Redis/Kafka for integration tests, ports, waits,
// unique names and child-process control.
export { freePort } from './free-port';
export { waitFor, type WaitForOptions } from './wait-for';
export { respCommand, type RespValue, type RespOptions } from './resp';
export { startRedisServer, type RedisServerHandle, type RedisServerOptions } from './redis-server';
export {
  kafkaMetadata,
  kafkaBrokerReady,
  kafkaFindGroupCoordinator,
  type KafkaMetadataSummary,
} from './kafka-probe';
export {
  startKafkaBroker,
  kafkaLibsDir,
  repoRoot,
  type KafkaBrokerHandle,
  type KafkaBrokerOptions,
  type KafkaNode,
} from './kafka-broker';
export {
  testInfra,
  uniqueNamespace,
  type TestInfra,
  ENV_REDIS_URL,
  ENV_REDIS_PORT,
  ENV_KAFKA_BROKERS,
} from './test-env';
export { spawnNodeProcess, spawnNpmScript, type NodeProcessHandle, type SpawnNodeOptions } from './process';
export { guardChild, guardDir, ORPHAN_STOP_GRACE_MS } from './orphan-guard';
export { descendantsOf, isProcessAlive, listeningPortsOf, portsStillListening } from './process-tree';
export { envWithoutParleySettings, expectNpmScriptTreeGone, startNpmScriptTree, type NpmScriptTree } from './npm-script-tree';
export { default as jestGlobalSetup } from './jest-global-setup';
export { default as jestGlobalTeardown } from './jest-global-teardown';
export { createTestCertificateAuthority, issueServerCertificate, type TestCertificateAuthority, type IssuedCertificate } from './test-certificates';
export {
  startRedisCluster,
  parseClusterNodes,
  type RedisClusterHandle,
  type RedisClusterNodeInfo,
  type RedisClusterOptions,
} from './redis-cluster';
export { startKafkaCluster, type KafkaClusterHandle, type KafkaClusterOptions } from './kafka-cluster';
