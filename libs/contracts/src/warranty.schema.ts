import { z } from 'zod';
import { currencyCode, dateOrInstant, identifier, money, nonNegative } from './primitives';

export const WARRANTY_CONTRACT_KINDS = Object.freeze(['extended-warranty', 'maintenance-contract'] as const);
export type WarrantyContractKind = (typeof WARRANTY_CONTRACT_KINDS)[number];

export const WARRANTY_COVERAGES = Object.freeze(['standard', ...WARRANTY_CONTRACT_KINDS] as const);
export type WarrantyCoverage = (typeof WARRANTY_COVERAGES)[number];

/** Delivery to a customer by a branch; standard cover until `endsAt` or `hoursLimit`, whichever first. */
export const warrantyRegisteredData = z.object({
  serialNumber: identifier,
  customerId: identifier,
  branchId: identifier,
  oemName: z.string().optional(),
  model: z.string().optional(),
  startsAt: dateOrInstant,
  endsAt: dateOrInstant,
  hoursLimit: nonNegative.optional(),
});

/** Cover bought past the standard warranty. */
export const warrantyExtendedData = z
  .object({
    serialNumber: identifier,
    contractId: identifier,
    kind: z.enum(WARRANTY_CONTRACT_KINDS),
    startsAt: dateOrInstant,
    endsAt: dateOrInstant,
    hoursLimit: nonNegative.optional(),
    amount: money.optional(), // the contract sets no sign; bounded like every amount
    currency: currencyCode.optional(),
  })
  .superRefine((d, ctx) => {
    // An amount is meaningless without its currency.
    if (d.amount !== undefined && d.currency === undefined) {
      ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required when amount is present' });
    }
  });

export const warrantyExpiringData = z.object({
  serialNumber: identifier,
  endsAt: dateOrInstant,
});

export const warrantyExpiredData = z.object({
  serialNumber: identifier,
  endedAt: dateOrInstant,
  coverage: z.enum(WARRANTY_COVERAGES),
});

/** The machine was sold on: not churn of the old owner's relationship. */
export const ownershipTransferredData = z.object({
  serialNumber: identifier,
  fromCustomerId: identifier,
  toCustomerId: identifier,
  branchId: identifier.optional(),
});

export type WarrantyRegisteredData = z.output<typeof warrantyRegisteredData>;
export type WarrantyExtendedData = z.output<typeof warrantyExtendedData>;
export type WarrantyExpiringData = z.output<typeof warrantyExpiringData>;
export type WarrantyExpiredData = z.output<typeof warrantyExpiredData>;
export type OwnershipTransferredData = z.output<typeof ownershipTransferredData>;
