/** Response schemas of the customer view and the retention metrics (OpenAPI 3.1, JSON Schema). */
const num = { type: 'number' };
const nullableNum = { type: ['number', 'null'] };
const str = { type: 'string' };
const nullableStr = { type: ['string', 'null'] };
const int = { type: 'integer' };

const figure = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  properties: {
    value: { ...nullableNum, description: 'null when it cannot be computed: see `missing`' },
    numerator: nullableNum,
    denominator: nullableNum,
    formula: str,
    missing: nullableStr,
    ...extra,
  },
  required: ['value', 'numerator', 'denominator', 'formula', 'missing'],
});

const day = { type: 'string', format: 'date' };

export const metricsSchemas = {
  Figure: figure(),
  RetentionMetrics: {
    type: 'object',
    properties: {
      dealerId: str,
      branchId: { ...nullableStr, description: 'null: the whole dealer' },
      period: { type: 'object', properties: { from: day, to: day } },
      priorPeriod: {
        type: 'object',
        description: 'the equally long period just before (net revenue retention)',
        properties: { from: day, to: day },
      },
      asOf: { type: 'string', format: 'date-time' },
      currencies: { type: 'array', items: str },
      postWarrantyRetention: figure({
        excluded: { ...int, description: 'sold or relocated before a dealer visit' },
        pending: { ...int, description: 'still inside their 12 months, no visit yet' },
      }),
      captureRate: figure({ hoursRun: num }),
      absorptionRate: figure({
        linesWithoutGrossProfit: int,
        linesEstimated: int,
        estimatedGrossProfit: nullableNum,
      }),
      netRevenueRetention: { $ref: '#/components/schemas/Figure' },
      earnedGrowthRate: { $ref: '#/components/schemas/Figure' },
      nps: figure({ promoters: int, passives: int, detractors: int }),
    },
  },
};

const currencyField = {
  ...nullableStr,
  description:
    "ISO 4217 code of the amounts (the dealer's configured reporting currency); null if not configured",
};

const segment = { type: ['string', 'null'], enum: ['frozen', 'migrating', 'high-value', 'potential', null] };

export const customerSchemas = {
  Customer: {
    type: 'object',
    properties: {
      id: str,
      name: { ...nullableStr, description: "the customer's name (master data); null when unknown" },
      dealerId: str,
      branchId: { ...nullableStr, description: "the customer's home branch" },
      value: {
        type: ['object', 'null'],
        properties: {
          clv: num,
          pLapse: num,
          valueAtRisk: num,
          currency: currencyField,
          asOf: { type: 'string', format: 'date-time' },
        },
      },
      segment,
      segmentBasis: {
        type: 'object',
        description:
          'the figures the segment was decided on; an unknown one (null) never puts a customer in a segment',
        properties: {
          clvPercentile: nullableNum,
          pAlive: nullableNum,
          captureRate: nullableNum,
          fleetHoursLast30d: nullableNum,
          hasSpendErosion: { type: 'boolean' },
          hasAliveDrop: { type: 'boolean' },
          daysSinceLastPurchase: nullableNum,
          missing: { type: 'object', additionalProperties: str },
        },
      },
      risk: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            code: str,
            message: str,
            serialNumber: nullableStr,
            detectedAt: { type: 'string', format: 'date-time' },
            valueAtRisk: num,
            currency: currencyField,
            priority: num,
          },
        },
      },
      machines: {
        type: 'array',
        items: {
          type: 'object',
          properties: { serialNumber: str, model: nullableStr, oemName: nullableStr },
        },
      },
      openTasks: { type: 'array', items: { $ref: '#/components/schemas/Task' } },
      timeline: { type: 'array', items: { type: 'object' } },
    },
  },
};

const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };

export const machineSchemas = {
  Machine: {
    type: 'object',
    properties: {
      serialNumber: str,
      customerId: nullableStr,
      branchId: nullableStr,
      oemName: nullableStr,
      model: nullableStr,
      deliveredAt: nullableDateTime,
      hourMeter: nullableNum,
      hourMeterAt: nullableDateTime,
      engineRunning: { type: ['boolean', 'null'] },
      activeFaultCodes: { type: 'array', items: {} },
      lastTelematicsAt: nullableDateTime,
      warranties: {
        type: 'array',
        description: 'the standard warranty, extended covers and contracts (an expiry is not a contract)',
        items: {
          type: 'object',
          properties: {
            contractId: str,
            coverage: str,
            startsAt: nullableDateTime,
            endsAt: nullableDateTime,
            expiredAt: {
              ...nullableDateTime,
              description: 'when `warranty.expired` reported this cover ended; null if it did not',
            },
          },
        },
      },
      openTasks: { type: 'array', items: { $ref: '#/components/schemas/Task' } },
      timeline: { type: 'array', items: { type: 'object' } },
    },
  },
};
