import type { SuppressorEntry } from '../model/detector';
import { checkMachineParked } from './machine-parked';
import { checkMachineRelocated } from './machine-relocated';
import { checkMachineSold } from './machine-sold';
import { checkNotReporting } from './not-reporting';

export { checkMachineParked, checkMachineRelocated, checkMachineSold, checkNotReporting };

/** In order; MACHINE_SOLD first because it is final (the others are then not checked). */
export const SUPPRESSORS: readonly SuppressorEntry[] = Object.freeze([
  { code: 'MACHINE_SOLD', check: checkMachineSold },
  { code: 'MACHINE_PARKED', check: checkMachineParked },
  { code: 'MACHINE_RELOCATED', check: checkMachineRelocated },
  { code: 'NOT_REPORTING', check: checkNotReporting },
]);
