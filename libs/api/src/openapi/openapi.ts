import { z } from 'zod';
import { CompleteBody, CustomerIdParams, SerialParams, TaskIdParams, TaskQuery } from '../http/schemas';
import { RetentionMetricsQuery } from '../metrics/period';
import { customerSchemas, machineSchemas, metricsSchemas } from './schemas';

const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const queryParams = (s: z.ZodObject) =>
  Object.entries(json(s).properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema,
  }));
const pathParams = (s: z.ZodObject) =>
  Object.entries(json(s).properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'path',
    required: true,
    schema,
  }));

/** Headers of every /api/v1 response, errors included. */
const noStore = {
  'Cache-Control': { description: 'no-store', schema: { type: 'string' } },
  'X-Content-Type-Options': { description: 'nosniff', schema: { type: 'string' } },
  'Referrer-Policy': { description: 'no-referrer', schema: { type: 'string' } },
};
const errorResponse = (description: string) => ({
  headers: noStore,
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const ok = (description: string, ref?: string) => ({
  headers: noStore,
  description,
  content: {
    'application/json': { schema: ref ? { $ref: `#/components/schemas/${ref}` } : { type: 'object' } },
  },
});
const common = {
  401: errorResponse('missing or bad bearer token'),
  403: errorResponse('an operator token: the dealer API needs an admin or manager token'),
  400: errorResponse('invalid input'),
};

const reason = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    message: { type: 'string' },
    evidenceEventIds: { type: 'array', items: { type: 'string' } },
    ruleVersion: { type: 'string' },
    detectedAt: { type: 'string', format: 'date-time' },
  },
};
const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const task = {
  type: 'object',
  properties: {
    id: str,
    dealerId: str,
    branchId: str,
    customerId: str,
    customerName: { ...nullableStr, description: "the customer's name (master data); null when unknown" },
    serialNumber: nullableStr,
    machine: {
      type: ['object', 'null'],
      description: 'make and model of the machine; null when the task has no machine or it is unknown',
      properties: { oemName: nullableStr, model: nullableStr },
      required: ['oemName', 'model'],
    },
    family: str,
    reasons: { type: 'array', items: reason },
    priority: { type: 'number' },
    valueAtRisk: { type: 'number' },
    currency: {
      ...nullableStr,
      description:
        "ISO 4217 code of valueAtRisk (the dealer's configured reporting currency); null if not configured",
    },
    status: { type: 'string', enum: ['open', 'claimed', 'done'] },
    createdAt: { type: 'string', format: 'date-time' },
    dueAt: { type: 'string', format: 'date-time' },
    assignee: nullableStr,
    outcome: nullableStr,
    note: nullableStr,
    closedAt: { type: ['string', 'null'], format: 'date-time' },
    escalatedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** The OpenAPI 3.1 document of the API, built from the same zod schemas that validate the requests. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Retention pipeline API', version: '1.0.0' },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'token from `tokens create`' },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: { code: str, message: str, id: str },
              required: ['code', 'message', 'id'],
            },
          },
        },
        Task: task,
        Me: {
          type: 'object',
          properties: {
            subject: {
              ...str,
              description: 'the assignee identity of its claims: token name, else token:<id>',
            },
            role: { type: 'string', enum: ['admin', 'manager'] },
            dealerId: str,
            branchId: { ...nullableStr, description: "a manager's branch; null for an admin" },
          },
          required: ['subject', 'role', 'dealerId', 'branchId'],
        },
        ...metricsSchemas,
        ...customerSchemas,
        ...machineSchemas,
        TaskPage: {
          type: 'object',
          properties: {
            items: { type: 'array', items: { $ref: '#/components/schemas/Task' } },
            nextCursor: nullableStr,
          },
        },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/api/v1/tasks': {
        get: {
          summary: "The caller's queue, highest priority first (admin: whole dealer, manager: own branch)",
          parameters: queryParams(TaskQuery),
          responses: { 200: ok('a page of tasks', 'TaskPage'), ...common },
        },
      },
      '/api/v1/tasks/{id}': {
        get: {
          summary: 'One task of your scope (open, claimed or done)',
          parameters: pathParams(TaskIdParams),
          responses: {
            200: ok('the task', 'Task'),
            404: errorResponse('no such task in your scope'),
            ...common,
          },
        },
      },
      '/api/v1/tasks/{id}/claim': {
        post: {
          summary: 'Claim a task for the caller',
          parameters: pathParams(TaskIdParams),
          responses: {
            200: ok('the claimed task', 'Task'),
            404: errorResponse('no such task in your scope'),
            409: errorResponse('claimed by someone else, or already done'),
            ...common,
          },
        },
      },
      '/api/v1/tasks/{id}/unclaim': {
        post: {
          summary:
            'Release a claim: the task is open and unassigned again. The assignee may release their own claim, ' +
            "an admin of the dealer anyone's (to reassign: release, then the other person claims). " +
            'An open task is returned unchanged',
          parameters: pathParams(TaskIdParams),
          responses: {
            200: ok('the open task', 'Task'),
            404: errorResponse('no such task in your scope'),
            409: errorResponse(
              'TASK_CLOSED: already done; TASK_CLAIMED_BY_OTHER: a manager releasing someone else’s claim',
            ),
            ...common,
          },
        },
      },
      '/api/v1/me': {
        get: {
          summary: 'Who the token acts as: the assignee name of its claims, role, dealer and branch',
          responses: { 200: ok('the caller', 'Me'), ...common },
        },
      },
      '/api/v1/tasks/{id}/complete': {
        post: {
          summary: 'Complete a task with an outcome (published to followup.outcomes)',
          parameters: pathParams(TaskIdParams),
          requestBody: { required: true, content: { 'application/json': { schema: json(CompleteBody) } } },
          responses: {
            200: ok('the completed task', 'Task'),
            404: errorResponse('no such task in your scope'),
            409: errorResponse('claimed by someone else, or already done'),
            ...common,
          },
        },
      },
      '/api/v1/customers/{id}': {
        get: {
          summary:
            "Name, value, segment, risk, open tasks and timeline (last 100 events) of a customer; of the customer's " +
            'personal data only the name (never phone or email). ' +
            "A manager sees the machines of their branch and only those machines' decisions and events; " +
            'customer-level entries when the customer belongs to their branch',
          parameters: pathParams(CustomerIdParams),
          responses: {
            200: ok('the customer', 'Customer'),
            404: errorResponse('no such customer in your scope'),
            ...common,
          },
        },
      },
      '/api/v1/metrics/retention': {
        get: {
          summary:
            'Post-warranty retention, capture rate, absorption rate, net revenue retention, earned growth rate ' +
            'and NPS of a period (admin: whole dealer or one branch, manager: own branch); each figure with ' +
            'its numerator and denominator, null with `missing` when it cannot be computed',
          parameters: queryParams(RetentionMetricsQuery),
          responses: {
            200: ok('the figures', 'RetentionMetrics'),
            ...common,
            403: errorResponse('an operator token, or a manager naming another branch'),
          },
        },
      },
      '/api/v1/machines/{serial}': {
        get: {
          summary:
            'A machine: telematics state, warranties, open tasks, timeline (since the latest ownership transfer)',
          parameters: pathParams(SerialParams),
          responses: {
            200: ok('the machine', 'Machine'),
            404: errorResponse('no such machine in your scope'),
            ...common,
          },
        },
      },
    },
  };
}
