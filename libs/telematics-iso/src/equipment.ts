import { childrenNamed, firstNamed, scalarOf, type DocNode } from './tree';
import type { RawEquipment, RawFault, RawScalar } from './types';

// Faults are not part of the ISO snapshot proper; OEMs that add them use either a container
// (`FaultCodes` / `Faults`) of records or bare `FaultCode` records, in XML and JSON alike.
const FAULT_NAMES = ['faultcodes', 'faultcode', 'faults', 'fault'];
const FAULT_CONTAINERS = new Set(['faultcodes', 'faults']);

/** Locates the readings of one `Equipment` node; values stay raw and are validated by the mapper. */
export function readEquipment(node: DocNode): RawEquipment {
  // Be liberal: a few JSON feeds put the header fields directly on the entry.
  const header = firstNamed(node, 'equipmentheader') ?? node;
  return {
    header: {
      serialNumber: scalarOf(header, 'serialnumber'),
      pin: scalarOf(header, 'pin'),
      equipmentId: scalarOf(header, 'equipmentid'),
      oemName: scalarOf(header, 'oemname'),
      make: scalarOf(header, 'make'),
      model: scalarOf(header, 'model'),
    },
    location: reading(node, 'location', { latitude: 'latitude', longitude: 'longitude' }),
    operatingHours: withUnit(
      reading(node, 'cumulativeoperatinghours', { hour: 'hour' }),
      'hourUnit',
      unitOf(node, 'cumulativeoperatinghours', 'hour'),
    ),
    idleHours: withUnit(
      reading(node, 'cumulativeidlehours', { hour: 'hour' }),
      'hourUnit',
      unitOf(node, 'cumulativeidlehours', 'hour'),
    ),
    fuelUsed: withUnit(
      reading(node, 'fuelused', { fuelConsumed: 'fuelconsumed', fuelUnits: 'fuelunits' }),
      'consumedUnit',
      unitOf(node, 'fuelused', 'fuelconsumed'),
    ),
    engineStatus: childrenNamed(node, 'enginestatus').map((n) => ({
      running: scalarOf(n, 'running'),
      datetime: scalarOf(n, 'datetime'),
    })),
    faultCodes: collectFaults(node),
  };
}

function reading<K extends string>(
  node: DocNode,
  element: string,
  fields: Record<K, string>,
): ({ datetime?: RawScalar } & Partial<Record<K, RawScalar>>) | undefined {
  const n = firstNamed(node, element);
  if (!n) return undefined;
  const out: Record<string, RawScalar | undefined> = { datetime: scalarOf(n, 'datetime') };
  for (const [key, name] of Object.entries<string>(fields)) out[key] = scalarOf(n, name);
  return out as { datetime?: RawScalar } & Partial<Record<K, RawScalar>>;
}

const UNIT_ATTRIBUTES = ['uom', 'unit', 'units', 'unitofmeasure'];

/**
 * The unit the value element states (`<Hour uom="min">`: attributes are children in the tree), else the
 * unit stated on the reading element itself.
 */
function unitOf(node: DocNode, element: string, valueElement: string): RawScalar | undefined {
  const n = firstNamed(node, element);
  const value = n && firstNamed(n, valueElement);
  return (value && scalarOf(value, ...UNIT_ATTRIBUTES)) ?? (n && scalarOf(n, ...UNIT_ATTRIBUTES));
}

function withUnit<T extends object, K extends string>(
  r: T | undefined,
  key: K,
  unit: RawScalar | undefined,
): (T & Partial<Record<K, RawScalar>>) | undefined {
  return r && unit !== undefined ? { ...r, [key]: unit } : r;
}

function collectFaults(parent: DocNode): RawFault[] {
  const out: RawFault[] = [];
  for (const n of childrenNamed(parent, ...FAULT_NAMES)) {
    const nested = childrenNamed(n, ...FAULT_NAMES);
    const isContainer =
      nested.length > 0 && (FAULT_CONTAINERS.has(n.name) || nested.some((c) => c.children.length > 0));
    if (isContainer) out.push(...collectFaults(n));
    else if (n.children.length > 0) out.push(faultRecord(n));
    else if (n.value !== undefined && String(n.value).trim() !== '') out.push({ code: n.value });
  }
  return out;
}

function faultRecord(n: DocNode): RawFault {
  let code = scalarOf(n, 'codeidentifier', 'code', 'faultcode', 'identifier', 'dtc');
  const spn = scalarOf(n, 'spn');
  if (code === undefined && spn !== undefined) {
    // J1939 diagnostics without an OEM code: name them SPN<spn>-FMI<fmi>.
    const fmi = scalarOf(n, 'fmi');
    code = fmi === undefined ? `SPN${spn}` : `SPN${spn}-FMI${fmi}`;
  }
  return {
    code,
    severity: scalarOf(n, 'codeseverity', 'severity', 'level'),
    datetime: scalarOf(n, 'datetime', 'firstseenat', 'timestamp'),
  };
}
