import { z } from 'zod';
import { currencyCode, identifier, money, nonNegative, nonNegativeMoney } from './primitives';

export const WORK_ORDER_KINDS = Object.freeze([
  'maintenance',
  'repair',
  'inspection',
  'warranty-repair',
] as const);
export type WorkOrderKind = (typeof WORK_ORDER_KINDS)[number];

export const PARTS_CATEGORIES = Object.freeze([
  'maintenance-kit',
  'filters',
  'wear-parts',
  'repair-parts',
  'other',
] as const);
export type PartsCategory = (typeof PARTS_CATEGORIES)[number];

export const COMPLAINT_SEVERITIES = Object.freeze(['low', 'medium', 'high'] as const);
export type ComplaintSeverity = (typeof COMPLAINT_SEVERITIES)[number];

/** Customer master data. `name`, `phone` and `email` are personal data: never log them in clear. */
export const customerUpsertedData = z.object({
  customerId: identifier,
  name: z.string().min(1),
  branchId: identifier,
  phone: z.string().optional(),
  email: z.string().optional(),
});

const workOrder = {
  workOrderId: identifier,
  customerId: identifier,
  branchId: identifier,
  serialNumber: identifier.optional(),
  kind: z.enum(WORK_ORDER_KINDS),
};

export const workOrderOpenedData = z.object({
  ...workOrder,
  hoursAtOpen: nonNegative.optional(),
});

export const workOrderClosedData = z.object({
  ...workOrder,
  laborAmount: nonNegativeMoney,
  partsAmount: nonNegativeMoney,
  currency: currencyCode,
  grossProfit: money.optional(), // may be negative
  hoursAtService: nonNegative.optional(),
  downtimeHours: nonNegative.optional(),
});

export const partsSoldData = z.object({
  invoiceId: identifier,
  customerId: identifier,
  branchId: identifier,
  serialNumber: identifier.optional(),
  amount: nonNegativeMoney,
  currency: currencyCode,
  grossProfit: money.optional(), // may be negative
  category: z.enum(PARTS_CATEGORIES).optional(),
});

export const complaintOpenedData = z.object({
  complaintId: identifier,
  customerId: identifier,
  serialNumber: identifier.optional(),
  category: z.string().optional(), // free text in v1
  severity: z.enum(COMPLAINT_SEVERITIES).optional(),
});

export const complaintResolvedData = z.object({
  complaintId: identifier,
  customerId: identifier,
});

export const surveyRespondedData = z.object({
  surveyId: identifier,
  customerId: identifier,
  serialNumber: identifier.optional(),
  workOrderId: identifier.optional(),
  nps: z.int().min(0).max(10).optional(),
  ces: z.int().min(1).max(7).optional(),
  csat: z.int().min(1).max(5).optional(),
  comment: z.string().optional(), // free text: may hold personal data
});

export type CustomerUpsertedData = z.output<typeof customerUpsertedData>;
export type WorkOrderOpenedData = z.output<typeof workOrderOpenedData>;
export type WorkOrderClosedData = z.output<typeof workOrderClosedData>;
export type PartsSoldData = z.output<typeof partsSoldData>;
export type ComplaintOpenedData = z.output<typeof complaintOpenedData>;
export type ComplaintResolvedData = z.output<typeof complaintResolvedData>;
export type SurveyRespondedData = z.output<typeof surveyRespondedData>;
