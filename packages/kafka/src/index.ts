// @parley/kafka: the Bus port on Kafka (kafkajs) and the client factory behind it.
export { KafkaBus, BusHandlerRejectedError, type KafkaBusOptions } from './bus.kafka';
export {
  createKafka,
  defaultPartitioner,
  stderrKafkaLogger,
  type KafkaClientOptions,
  type KafkaLogEntry,
  type KafkaLogger,
  type KafkaLogLevel,
} from './kafka-client';
