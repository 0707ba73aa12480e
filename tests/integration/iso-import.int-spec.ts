import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Admin, Kafka, KafkaMessage, Producer } from 'kafkajs';
import type { AppConfig } from '@rp/config';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import {
  importFleetEndpoint,
  mapEquipment,
  parseFleetDocument,
  type RetryInfo,
  type TelematicsSnapshotEvent,
} from '@rp/telematics-iso';
import { runCli, testConfig, waitFor } from '../support';

// The real Takeuchi TFM feed (MIT; NOTICE.md and LICENSE.md beside it).
const FIXTURE = path.resolve(__dirname, '../fixtures/iso15143-3/takeuchi-fleet-snapshot.xml');
const ROOT = path.resolve(__dirname, '../..');
const DEALER = 'dealer-east';
const TOKEN = 'it-bearer-token-4711';

/** Page 2 of the fake OEM feed, in the JSON form; its next link is itself, so the poll stops there. */
function page2(base: string): string {
  return JSON.stringify({
    Links: [
      { rel: 'self', href: `${base}/Fleet/1` },
      { rel: 'next', href: `${base}/Fleet/1` },
    ],
    Equipment: [
      {
        EquipmentHeader: { OEMName: 'Takeuchi', Model: 'TB260', SerialNumber: 'IT-260-0001' },
        Location: { datetime: '2026-04-10T07:30:00Z', Latitude: 52.52, Longitude: 13.405 },
        CumulativeOperatingHours: { datetime: '2026-04-10T08:00:00Z', Hour: 1523.5 },
      },
      {
        EquipmentHeader: { SerialNumber: 'IT-260-0002' },
        CumulativeOperatingHours: { datetime: '2026-04-10T08:00:00Z', Hour: -3 },
      },
    ],
  });
}

/** A local OEM endpoint: page 1 is the fixture with its next link rewritten to page 2. */
class FakeOem {
  readonly requests: { path: string; authorization?: string; status: number }[] = [];
  throttleNext = false;
  private server!: Server;
  private page1 = '';
  base = '';

  async start(fixture: string): Promise<void> {
    this.server = createServer((req, res) => {
      const reply = (status: number, body: string, headers: Record<string, string> = {}) => {
        this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization, status });
        res.writeHead(status, headers).end(body);
      };
      if (this.throttleNext) {
        this.throttleNext = false;
        return reply(429, 'slow down', { 'retry-after': '1' });
      }
      if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, 'invalid_token');
      if (req.url === '/Fleet/0') return reply(200, this.page1, { 'content-type': 'application/xml' });
      if (req.url === '/Fleet/1') return reply(200, page2(this.base), { 'content-type': 'application/json' });
      return reply(404, 'not found');
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    const next = /(<rel>next<\/rel>\s*<href>)[^<]*(<\/href>)/;
    expect(fixture).toMatch(next);
    this.page1 = fixture.replace(next, `$1${this.base}/Fleet/1$2`);
  }

  stop(): Promise<void> {
    return new Promise((r) => this.server.close(() => r()));
  }
}

async function setUpTopics(kafka: Kafka, config: AppConfig): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, topicSpecs(config.topics));
  } finally {
    await admin.disconnect();
  }
}

/** Every record of the topic: waits for `count`, then checks the log holds exactly that many. */
async function readTopic(kafka: Kafka, admin: Admin, topic: string, count: number): Promise<KafkaMessage[]> {
  const got = new Map<string, KafkaMessage>(); // by partition/offset: a redelivery is not a new record
  const consumer = kafka.consumer({ groupId: `read-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ partition, message }) => {
      got.set(`${partition}/${message.offset}`, message);
      return Promise.resolve();
    },
  });
  try {
    await waitFor(`${count} records on ${topic}`, () => got.size >= count, 60_000);
  } finally {
    await consumer.disconnect();
  }
  const offsets = await admin.fetchTopicOffsets(topic);
  expect(offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0)).toBe(count);
  return [...got.values()];
}

const eventsOf = (records: KafkaMessage[]) =>
  records.map((m) => ({
    key: m.key!.toString(),
    event: JSON.parse(m.value!.toString()) as TelematicsSnapshotEvent,
  }));

describe('iso-import: ISO 15143-3 feed into the telematics topic', () => {
  const fixture = readFileSync(FIXTURE, 'utf8');
  // What the mapper yields for the fixture: the expected content of the topic.
  const expected = mapEquipment(parseFleetDocument(fixture), { dealerId: DEALER, now: Date.now() });
  const oem = new FakeOem();
  const pollConfig = testConfig();
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    expect(existsSync(FIXTURE)).toBe(true);
    await oem.start(fixture);
    kafka = createKafka(pollConfig.kafka);
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    await setUpTopics(kafka, pollConfig);
  });
  afterAll(async () => {
    await producer?.disconnect();
    await admin?.disconnect();
    await oem.stop();
  });

  it('the fixture maps to 23 events and 4 rejections, 3 of them header-only entries', () => {
    expect(expected.events).toHaveLength(23);
    expect(expected.rejected.map((r) => r.index)).toEqual([0, 3, 5, 26]);
    expect(expected.rejected.filter((r) => r.reason.startsWith('no readings'))).toHaveLength(3);
  });

  it('polls both pages through a 429 with the bearer token and publishes each event keyed by serial', async () => {
    const topic = pollConfig.topics.telematics;
    oem.throttleNext = true;
    oem.requests.length = 0;
    const retries: RetryInfo[] = [];
    const started = Date.now();
    const summary = await importFleetEndpoint(
      {
        url: `${oem.base}/Fleet/0`,
        auth: { kind: 'bearer', token: TOKEN },
        onRetry: (r) => retries.push(r),
      },
      {
        dealerId: DEALER,
        now: Date.now,
        publish: async (messages) => {
          await producer.send({ topic, messages });
        },
      },
    );

    expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1 was honoured
    expect(oem.requests).toEqual([
      { path: '/Fleet/0', authorization: `Bearer ${TOKEN}`, status: 429 },
      { path: '/Fleet/0', authorization: `Bearer ${TOKEN}`, status: 200 },
      { path: '/Fleet/1', authorization: `Bearer ${TOKEN}`, status: 200 },
    ]);
    expect(retries).toEqual([
      { url: `${oem.base}/Fleet/0`, attempt: 1, status: 429, delayMs: 1000, reason: 'HTTP 429' },
    ]);
    expect(summary.error).toBeUndefined();
    expect(summary.poll).toEqual({ pages: 2, stoppedBy: 'next-is-current' });
    expect(summary.documents.map((d) => [d.equipment, d.published, d.rejected])).toEqual([
      [27, 23, 4],
      [2, 1, 1],
    ]);
    expect(summary.published).toBe(24);
    expect(summary.rejected.map((r) => [r.document.slice(0, 6), r.index, r.serialNumber])).toEqual([
      ['page 1', 0, '190502863'],
      ['page 1', 3, undefined],
      ['page 1', 5, '124004786'],
      ['page 1', 26, '190400320'],
      ['page 2', 1, 'IT-260-0002'],
    ]);
    expect(summary.rejected[4].reason).toBe('CumulativeOperatingHours.Hour is negative (-3)');

    const records = eventsOf(await readTopic(kafka, admin, topic, 24));
    expect(records.every(({ key, event }) => key === event.data.serialNumber)).toBe(true);
    expect(records.map((r) => r.key).sort()).toEqual(
      [...expected.events.map((e) => e.data.serialNumber), 'IT-260-0001'].sort(),
    );
    const fromFixture = records.filter((r) => r.key !== 'IT-260-0001').map((r) => r.event);
    expect(fromFixture.map((e) => e.eventId).sort()).toEqual(expected.events.map((e) => e.eventId).sort());

    const bySerial = (s: string) => records.find((r) => r.key === s)!.event;
    expect(bySerial('190502580')).toMatchObject({
      occurredAt: '2021-05-20T11:08:34Z',
      dealerId: DEALER,
      data: { cumulativeOperatingHours: 233.7, location: { latitude: 49.23709, longitude: 8.093496 } },
    });
    expect(bySerial('190500650').data).toMatchObject({
      cumulativeOperatingHours: 1053.8,
      location: { latitude: 48.58553, longitude: 8.121322 },
    });
    expect(bySerial('IT-260-0001')).toMatchObject({
      occurredAt: '2026-04-10T08:00:00Z',
      data: {
        oemName: 'Takeuchi',
        model: 'TB260',
        cumulativeOperatingHours: 1523.5,
        location: { latitude: 52.52, longitude: 13.405 },
      },
    });
  });

  it('stops on a wrong token at once (401, no retry) without echoing the token', async () => {
    oem.requests.length = 0;
    const publish = jest.fn(() => Promise.resolve());
    const summary = await importFleetEndpoint(
      { url: `${oem.base}/Fleet/0`, auth: { kind: 'bearer', token: 'wrong-token-0815' } },
      { dealerId: DEALER, now: Date.now, publish },
    );
    expect(summary.error).toBe(
      `HTTP 401 from ${oem.base}/Fleet/0 (check ISO_AUTH and its credentials): invalid_token`,
    );
    expect(oem.requests).toHaveLength(1);
    expect(publish).not.toHaveBeenCalled();
  });

  describe('through the built CLI', () => {
    const cliConfig = testConfig();
    const env = (extra: Record<string, string> = {}) => ({
      KAFKA_BROKERS: cliConfig.kafka.brokers.join(','),
      KAFKA_CLIENT_ID: cliConfig.kafka.clientId,
      TOPIC_TELEMATICS: cliConfig.topics.telematics,
      LOG_LEVEL: 'warn',
      ...extra,
    });

    beforeAll(async () => {
      assertBuildIsCurrent();
      await setUpTopics(kafka, cliConfig);
    });

    it('imports the same file twice: 23 events each time with identical ids, rejections listed', async () => {
      const args = ['iso-import', '--file', FIXTURE, '--dealer', DEALER];
      const runs = [await runCli(args, env()), await runCli(args, env())];
      for (const run of runs) {
        expect(run).toMatchObject({ code: 0 });
        expect(run.output).toContain(`  documents read: 1\n  equipment entries: 27\n`);
        expect(run.output).toContain(`  events published: 23 to ${cliConfig.topics.telematics}\n`);
        expect(run.output).toContain('  entries rejected: 4\n');
        expect(run.output).toContain(`${FIXTURE} #0 serial 190502863, EquipmentID 7020027516: no readings:`);
        expect(run.output).toContain(
          `${FIXTURE} #3 EquipmentID 4962039310: EquipmentHeader.SerialNumber is a placeholder ('missing') and there is no usable PIN\n`,
        );
      }

      const records = eventsOf(await readTopic(kafka, admin, cliConfig.topics.telematics, 46));
      const ids = records.map((r) => r.event.eventId);
      expect(new Set(ids).size).toBe(23); // the second import adds nothing new downstream
      const idsOnce = expected.events.map((e) => e.eventId).sort();
      expect(ids.sort()).toEqual(idsOnce.flatMap((id) => [id, id]));
      expect(records.every(({ key, event }) => key === event.data.serialNumber)).toBe(true);
    });

    it('polls once from the configured endpoint and never prints the token', async () => {
      oem.throttleNext = true;
      const run = await runCli(
        ['iso-import', '--poll', '--once'],
        env({
          ISO_ENDPOINT_URL: `${oem.base}/Fleet/0`,
          ISO_AUTH: 'bearer',
          ISO_TOKEN: TOKEN,
          ISO_DEALER_ID: DEALER,
          LOG_LEVEL: 'info',
        }),
      );
      expect(run).toMatchObject({ code: 0 });
      expect(run.output).toContain('  pages read: 2 (stopped: the next link is the page itself)\n');
      expect(run.output).toContain('  events published: 24 to ');
      expect(run.output).toContain('  entries rejected: 5\n');
      expect(run.output).toContain('"msg":"ISO endpoint throttled or failing; retrying"');
      expect(run.output).not.toContain(TOKEN);
    });

    it('refuses to run without a source or a dealer: one line, usage exit code 2', async () => {
      const none = await runCli(['iso-import'], env());
      expect(none).toEqual({ code: 2, output: 'error: iso-import needs --file <path...> or --poll\n' });
      const noDealer = await runCli(['iso-import', '--file', FIXTURE], env());
      expect(noDealer).toEqual({
        code: 2,
        output: 'iso-import: no dealer: pass --dealer <dealerId> (1-64 characters) or set ISO_DEALER_ID\n',
      });
    });
  });
});

/** The CLI tests run dist/: fail clearly when it is missing or older than the sources it is built from. */
function assertBuildIsCurrent(): void {
  const built = path.join(ROOT, 'dist/apps/retention/src/cli/iso-import.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npx nest build\` first`);
  const lib = path.join(ROOT, 'libs/telematics-iso/src');
  const sources = [
    path.join(ROOT, 'apps/retention/src/main.ts'),
    path.join(ROOT, 'apps/retention/src/cli/iso-import.ts'),
    ...readdirSync(lib)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('spec.ts'))
      .map((f) => path.join(lib, f)),
  ];
  const stale = sources.filter((s) => statSync(s).mtimeMs > statSync(built).mtimeMs);
  if (stale.length) throw new Error(`dist/ is older than ${stale.join(', ')}: run \`npx nest build\` first`);
}
