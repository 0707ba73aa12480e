/**
 * Deletes the topics earlier test runs left on the local broker. Every test file gets its own topics
 * (`<input or output topic>.<14-character run suffix>[.dlq]`, tests/support/test-config.ts); a developer's
 * stack that kept them over hundreds of runs reached 12,000 partitions and the broker ran out of file
 * descriptors. Topics of the pipeline itself (no suffix) and of benchmarks are never touched.
 */
import { loadConfig } from '@rp/config';
import { createKafka } from '@rp/kafka';

const TEST_TOPIC =
  /^(telematics\.snapshots|warranty\.events|service\.events|retention\.decisions|followup\.outcomes)\.[0-9a-z]{14}(\.dlq)?$/;

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const admin = createKafka(config.kafka).admin();
  await admin.connect();
  try {
    const stale = (await admin.listTopics()).filter((t) => TEST_TOPIC.test(t));
    for (let i = 0; i < stale.length; i += 200) {
      await admin.deleteTopics({ topics: stale.slice(i, i + 200), timeout: 60_000 });
    }
    console.error(`[test] removed ${stale.length} topic(s) left by earlier test runs`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((err: unknown) => {
  // Best effort: a failure here must not stop the test run.
  console.error(
    `[test] could not remove old test topics: ${err instanceof Error ? err.message : String(err)}`,
  );
});
