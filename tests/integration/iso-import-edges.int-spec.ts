import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Admin, Kafka } from 'kafkajs';
import { createKafka, ensureTopics, topicSpecs } from '@rp/kafka';
import { importFleetEndpoint, pollFleet, type TelematicsSnapshotEvent } from '@rp/telematics-iso';
import { LAUNCHER, readFromBeginning, runCli, testConfig, waitFor } from '../support';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ server: Server; base: string }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
const close = (s: Server) => new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));

const iso = (d: number) => new Date(Date.now() + d).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86_400_000;
const entry = (serial: string, readings: string) =>
  `<Equipment><EquipmentHeader><SerialNumber>${serial}</SerialNumber></EquipmentHeader>${readings}</Equipment>`;
const hours = (at: string, h = 1500.5) =>
  `<CumulativeOperatingHours datetime="${at}"><Hour>${h}</Hour></CumulativeOperatingHours>`;
const xmlFleet = (...entries: string[]) =>
  `<Fleet xmlns="http://standards.iso.org/iso/15143/-3" version="1">${entries.join('')}</Fleet>`;

describe('iso-import against a real HTTP server: redirects and body size', () => {
  const servers: Server[] = [];
  afterAll(async () => Promise.all(servers.map(close)));

  it('refuses a redirect to another origin: the other host gets no request and nothing is imported from it', async () => {
    const other: string[] = [];
    const b = await serve((req, res) => {
      other.push(`${req.url} ${req.headers.authorization ?? '(none)'}`);
      res
        .writeHead(200, { 'content-type': 'application/xml' })
        .end(xmlFleet(entry('FROM-OTHER-HOST', hours(iso(-DAY)))));
    });
    const a = await serve((req, res) => {
      if (req.url === '/Fleet/1') {
        res.writeHead(200, { 'content-type': 'application/xml' });
        return res.end(
          xmlFleet(`<Links><rel>next</rel><href>/Fleet/2</href></Links>`, entry('A1', hours(iso(-DAY)))),
        );
      }
      res.writeHead(302, { location: `${b.base}/steal` }).end();
    });
    servers.push(a.server, b.server);
    const sent: string[] = [];
    const summary = await importFleetEndpoint(
      { url: `${a.base}/Fleet/1`, auth: { kind: 'bearer', token: 'tok-4711' } },
      {
        dealerId: 'd1',
        now: Date.now,
        publish: (m) => (sent.push(...m.map((x) => x.key)), Promise.resolve()),
      },
    );
    expect(sent).toEqual(['A1']);
    expect(summary.error).toBe(
      `page 2 (${a.base}/Fleet/2) redirects to ${b.base}/steal, outside ${a.base}; not following it (the credentials and the feed are for that origin only)`,
    );
    expect(other).toEqual([]);
  });

  it('follows a same-origin redirect with the real fetch', async () => {
    const a = await serve((req, res) => {
      if (req.url === '/old') return res.writeHead(301, { location: '/new' }).end();
      res.writeHead(200, { 'content-type': 'application/xml' }).end(xmlFleet(entry('N1', hours(iso(-DAY)))));
    });
    servers.push(a.server);
    const pages: string[] = [];
    await expect(
      pollFleet({ url: `${a.base}/old` }, (p) => (pages.push(p.url), Promise.resolve())),
    ).resolves.toEqual({
      pages: 1,
      stoppedBy: 'no-next-link',
    });
    expect(pages).toEqual([`${a.base}/new`]);
  });

  it('stops reading an endless body at the limit and reports the page', async () => {
    let written = 0;
    let closed = false;
    const a = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xml' });
      res.on('close', () => (closed = true));
      const chunk = Buffer.alloc(64 * 1024, 32);
      const pump = (): void => {
        while (!closed && written < 512 * 1024 * 1024) {
          written += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    servers.push(a.server);
    await expect(
      pollFleet({ url: `${a.base}/Fleet/1`, maxBodyBytes: 2 * 1024 * 1024 }, () => Promise.resolve()),
    ).rejects.toThrow(
      `page 1 (${a.base}/Fleet/1): document is larger than the 2097152-byte (2 MiB) limit; not read`,
    );
    await waitFor('the server sees the connection closed', () => closed, 5000);
    expect(written).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('iso-import through the built CLI: future datetimes and scheduled polling', () => {
  const config = testConfig();
  const topic = config.topics.telematics;
  let kafka: Kafka;
  let admin: Admin;
  let dir: string;
  const env = (extra: Record<string, string> = {}) => ({
    KAFKA_BROKERS: config.kafka.brokers.join(','),
    KAFKA_CLIENT_ID: config.kafka.clientId,
    TOPIC_TELEMATICS: topic,
    LOG_LEVEL: 'warn',
    ...extra,
  });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'iso-edges-'));
    kafka = createKafka(config.kafka);
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, topicSpecs(config.topics));
  });
  afterAll(async () => {
    await admin?.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  const recordCount = async (t: string) =>
    (await admin.fetchTopicOffsets(t)).reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
  const events = async (count: number) =>
    (await readFromBeginning(kafka, [topic], count)).map(
      (r) => JSON.parse(r.message.value!.toString()) as TelematicsSnapshotEvent,
    );

  it('publishes a snapshot without its future-dated element and never with a future occurredAt', async () => {
    const yesterday = iso(-DAY);
    const future = iso(3650 * DAY);
    const file = path.join(dir, 'future.xml');
    writeFileSync(
      file,
      xmlFleet(
        entry(
          'FUT-1',
          hours(yesterday) +
            `<Location datetime="${yesterday}"><Latitude>49.2</Latitude><Longitude>8.1</Longitude></Location>` +
            `<EngineStatus datetime="${future}"><Running>false</Running></EngineStatus>`,
        ),
        entry('FUT-2', hours(future)),
      ),
    );
    const run = await runCli(['iso-import', '--dealer', 'd-edges', '--file', file], env());
    expect(run.code).toBe(0);
    expect(run.output).toContain(`  events published: 1 to ${topic}\n`);
    expect(run.output).toMatch(
      new RegExp(
        `  entries rejected: 1\\n    - .*future\\.xml #1 serial FUT-2: no plausible readings: CumulativeOperatingHours\\.datetime ${future} is more than 24 h after the import time .*: reading not published\\n`,
      ),
    );
    expect(run.output).toContain(
      `  readings left out of published events: 1\n    - ${file} #0 serial FUT-1: EngineStatus[0].datetime ${future} is more than 24 h after the import time `,
    );
    expect(await recordCount(topic)).toBe(1);
    const [event] = await events(1);
    expect(event.occurredAt).toBe(yesterday);
    expect(event.data).toEqual({
      serialNumber: 'FUT-1',
      cumulativeOperatingHours: 1500.5,
      location: { latitude: 49.2, longitude: 8.1 },
    });
  });

  it('a scheduled poller publishes an unchanged snapshot once, not every cycle', async () => {
    const cfg = testConfig();
    await ensureTopics(admin, topicSpecs(cfg.topics));
    let requests = 0;
    const page = xmlFleet(entry('P-1', hours(iso(-DAY))), entry('P-2', hours(iso(-DAY), 7)));
    const oem = await serve((_req, res) => {
      requests++;
      res.writeHead(200, { 'content-type': 'application/xml' }).end(page);
    });
    let output = '';
    try {
      const child = spawn(LAUNCHER, ['iso-import', '--poll'], {
        env: {
          ...process.env,
          ...env({
            TOPIC_TELEMATICS: cfg.topics.telematics,
            ISO_ENDPOINT_URL: `${oem.base}/Fleet/1`,
            ISO_DEALER_ID: 'd-edges',
            ISO_POLL_INTERVAL_MS: '1000',
          }),
        },
      });
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', r));
      await waitFor('three poll cycles', () => (output.match(/events published/g) ?? []).length >= 3, 30_000);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      await close(oem.server);
    }
    expect(requests).toBeGreaterThanOrEqual(3);
    const published = [...output.matchAll(/events published: (\d+)/g)].map((m) => Number(m[1]));
    expect(published.slice(0, 3)).toEqual([2, 0, 0]);
    expect(output).toContain(
      '  unchanged since an earlier poll (same or older reading; not sent again): 2\n',
    );
    expect(await recordCount(cfg.topics.telematics)).toBe(2); // not 2 per cycle
    const records = await readFromBeginning(kafka, [cfg.topics.telematics], 2);
    expect(records.map((r) => r.message.key!.toString()).sort()).toEqual(['P-1', 'P-2']);
  });
});
