export { createKafka } from './kafka-client';
export { topicSpecs, ensureTopics, type TopicSpec, type TopicSetupReport } from './topics';
export { pingKafka } from './kafka.health';
export { listPartitions } from './partitions';
export { publishOutbox, type OutboxPublication } from './outbox-publisher';
export { KafkaModule, KAFKA_ADMIN } from './kafka.module';
export { groupReadAll } from './group-lag';
