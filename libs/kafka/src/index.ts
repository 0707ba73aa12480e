export { createKafka } from './kafka-client';
export { topicSpecs, ensureTopics, type TopicSpec, type TopicSetupReport } from './topics';
export { pingKafka } from './kafka.health';
export { listPartitions } from './partitions';
export { KafkaModule, KAFKA_ADMIN } from './kafka.module';
