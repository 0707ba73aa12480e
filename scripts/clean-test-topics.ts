/**
 * Deletes the topics earlier test runs left on the local broker. Every test file gets its own topics
 * (`<input or output topic>.<14-character run suffix>[.dlq]`, tests/support/test-config.ts); a developer's
 * stack that kept them over hundreds of runs reached 12,000 partitions and the broker ran out of file
 * descriptors. Topics of the pipeline itself (no suffix) and of benchmarks are never touched, nor those of a
 * run that may still be going on: the suffix starts with its creation time (Date.now() in base 36), and only
 * topics older than TEST_TOPIC_MAX_AGE_MS go.
 */
import { loadConfig } from '@rp/config';
import { createKafka } from '@rp/kafka';

const TEST_TOPIC =
  /^(telematics\.snapshots|warranty\.events|service\.events|retention\.decisions|followup\.outcomes)\.([0-9a-z]{8})[0-9a-f]{6}(\.dlq)?$/;
const TEST_TOPIC_MAX_AGE_MS = 6 * 3_600_000;

/** Whether `topic` is a test topic created more than TEST_TOPIC_MAX_AGE_MS before `nowMs`. */
export function isStaleTestTopic(topic: string, nowMs: number): boolean {
  const m = TEST_TOPIC.exec(topic);
  if (m === null) return false;
  const created = parseInt(m[2], 36);
  return Number.isFinite(created) && nowMs - created > TEST_TOPIC_MAX_AGE_MS;
}

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const admin = createKafka(config.kafka).admin();
  await admin.connect();
  try {
    const now = Date.now();
    const stale = (await admin.listTopics()).filter((t) => isStaleTestTopic(t, now));
    for (let i = 0; i < stale.length; i += 200) {
      await admin.deleteTopics({ topics: stale.slice(i, i + 200), timeout: 60_000 });
    }
    console.error(`[test] removed ${stale.length} topic(s) left by earlier test runs`);
  } finally {
    await admin.disconnect();
  }
}

if (require.main === module) void run();

function run(): Promise<void> {
  return main().catch((err: unknown) => {
    // Best effort: a failure here must not stop the test run.
    console.error(
      `[test] could not remove old test topics: ${err instanceof Error ? err.message : String(err)}`,
    );
  });
}
