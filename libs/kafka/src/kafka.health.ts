import type { Admin } from 'kafkajs';

/** Asks the cluster for its brokers; throws if no broker answers. */
export async function pingKafka(admin: Admin): Promise<{ brokers: number }> {
  const cluster = await admin.describeCluster();
  if (cluster.brokers.length === 0) throw new Error('no brokers');
  return { brokers: cluster.brokers.length };
}
