import type { CustomerDetectorEntry, MachineDetectorEntry } from '../model/detector';
import { detectActiveButSilent } from './active-but-silent';
import { detectAliveProbabilityDrop } from './alive-probability-drop';
import { detectBadServiceOnMachine, detectOpenComplaint } from './bad-service-experience';
import { detectDetractor } from './detractor';
import { detectFaultWithoutVisit } from './fault-without-visit';
import { detectMaintenanceOverdue } from './maintenance-overdue';
import { detectPostWarrantyNoService } from './post-warranty-no-service';
import { detectPurchaseGap } from './purchase-gap';
import { detectSelfMaintenanceShift } from './self-maintenance-shift';
import { detectSpendErosion } from './spend-erosion';
import { detectWarrantyEndingUncovered } from './warranty-ending-uncovered';

export {
  detectActiveButSilent,
  detectAliveProbabilityDrop,
  detectBadServiceOnMachine,
  detectOpenComplaint,
  detectDetractor,
  detectFaultWithoutVisit,
  detectMaintenanceOverdue,
  detectPostWarrantyNoService,
  detectPurchaseGap,
  detectSelfMaintenanceShift,
  detectSpendErosion,
  detectWarrantyEndingUncovered,
};

/** Detectors of one machine; skipped for a suppressed machine. */
export const MACHINE_DETECTORS: readonly MachineDetectorEntry[] = Object.freeze([
  { code: 'WARRANTY_ENDING_UNCOVERED', detect: detectWarrantyEndingUncovered },
  { code: 'POST_WARRANTY_NO_SERVICE', detect: detectPostWarrantyNoService },
  { code: 'MAINTENANCE_OVERDUE', detect: detectMaintenanceOverdue },
  { code: 'BAD_SERVICE_EXPERIENCE', detect: detectBadServiceOnMachine },
  { code: 'FAULT_WITHOUT_VISIT', detect: detectFaultWithoutVisit },
]);

/** Customer-level detectors (decisions without a machine). */
export const CUSTOMER_DETECTORS: readonly CustomerDetectorEntry[] = Object.freeze([
  { code: 'ACTIVE_BUT_SILENT', detect: detectActiveButSilent },
  { code: 'PURCHASE_GAP', detect: detectPurchaseGap },
  { code: 'ALIVE_PROBABILITY_DROP', detect: detectAliveProbabilityDrop },
  { code: 'SPEND_EROSION', detect: detectSpendErosion },
  { code: 'SELF_MAINTENANCE_SHIFT', detect: detectSelfMaintenanceShift },
  { code: 'DETRACTOR', detect: detectDetractor },
  { code: 'BAD_SERVICE_EXPERIENCE', detect: detectOpenComplaint },
]);
