import { createKafka } from '@rp/kafka';
import type { Producer } from 'kafkajs';
import {
  ev,
  isolatedEnv,
  produceEvents,
  runCli,
  startApp,
  testConfig,
  waitFor,
  type AppProcess,
} from '../support';
import { createToken } from './api/api-fixtures';

interface TaskView {
  id: string;
  customerId: string;
  serialNumber: string | null;
  branchId: string;
  reasons: { code: string; message: string; evidenceEventIds: string[] }[];
  priority: number;
  status: string;
}

/** Events in Kafka → decision in the ingest transaction → task via the outbox and BullMQ → the API. */
describe('the whole pipeline, all roles in one process', () => {
  const env = isolatedEnv({
    ROLES: 'ingest,followups,api',
    RISK_ALLOWED_LATENESS_MS: '0',
    RISK_QUIET_MS: '1000',
  });
  const config = testConfig(env);
  const DAY = 86_400_000;
  const now = Date.now();
  const at = (daysAgo: number) => new Date(now - daysAgo * DAY).toISOString();
  const customer = ev('cu-1', 'customer.upserted', at(40), {
    customerId: 'c-1',
    name: 'Builder Co',
    branchId: 'b-1',
  });
  const detractor = ev('sv-1', 'survey.responded', at(3), {
    surveyId: 's-1',
    customerId: 'c-1',
    nps: 3,
    comment: 'slow repair',
  });
  const complaint = ev('co-1', 'complaint.opened', at(20), {
    complaintId: 'k-1',
    customerId: 'c-1',
    severity: 'high',
  });
  let app: AppProcess;
  let producer: Producer;
  let token: string;

  const tasks = async (): Promise<TaskView[]> => {
    const res = await fetch(`${app.baseUrl}/api/v1/tasks?status=open`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { items: TaskView[] }).items;
  };

  beforeAll(async () => {
    expect((await runCli(['topics'], env)).code).toBe(0);
    app = await startApp(env);
    token = await createToken(env, ['--dealer', 'd1', '--role', 'manager', '--branch', 'b-1']);
    producer = createKafka(config.kafka).producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    if (app) await app.stop();
  });

  it('a detractor survey becomes exactly one explained task in the branch queue', async () => {
    await produceEvents(producer, config.topics, [customer, detractor]);
    const queue = await waitFor(
      'a task in the queue',
      async () => ((await tasks()).length ? tasks() : undefined),
      60_000,
      500,
    );
    const [task] = queue!;
    expect(task).toMatchObject({ customerId: 'c-1', serialNumber: null, branchId: 'b-1', status: 'open' });
    expect(task.reasons.map((r) => r.code)).toEqual(['DETRACTOR']);
    expect(task.reasons[0].evidenceEventIds).toContain('sv-1');
    expect(task.reasons[0].message).toContain('slow repair');
  });

  it('the same events again change nothing; a second reason of the same family is merged', async () => {
    await produceEvents(producer, config.topics, [customer, detractor]);
    await produceEvents(producer, config.topics, [complaint]);
    const merged = await waitFor(
      'the complaint merged into the task',
      async () => {
        const list = await tasks();
        return list.length === 1 && list[0].reasons.length === 2 ? list : undefined;
      },
      60_000,
      500,
    );
    expect(merged![0].reasons.map((r) => r.code).sort()).toEqual(['BAD_SERVICE_EXPERIENCE', 'DETRACTOR']);
    await new Promise((r) => setTimeout(r, 2000));
    expect(await tasks()).toHaveLength(1);
  });
});
