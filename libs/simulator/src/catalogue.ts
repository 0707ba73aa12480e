// Static reference data of the simulated dealer: machine models, fault codes, names and phrases.

export interface MachineModel {
  category: 'excavator' | 'wheel-loader' | 'skid-steer' | 'backhoe-loader';
  oemName: string;
  model: string;
  /** Prefix of the serial numbers (PIN) of this model. */
  serialPrefix: string;
  /** Engine hours between two scheduled services. */
  serviceInterval: number;
  fuelLitresPerHour: number;
  /** Labour of one scheduled service, in major currency units. */
  serviceLabour: number;
}

export const MACHINE_MODELS: readonly MachineModel[] = Object.freeze([
  {
    category: 'excavator',
    oemName: 'Komatsu',
    model: 'PC210LC-11',
    serialPrefix: 'PC210',
    serviceInterval: 500,
    fuelLitresPerHour: 14,
    serviceLabour: 620,
  },
  {
    category: 'excavator',
    oemName: 'Caterpillar',
    model: '320 GC',
    serialPrefix: 'CAT320',
    serviceInterval: 500,
    fuelLitresPerHour: 13,
    serviceLabour: 650,
  },
  {
    category: 'excavator',
    oemName: 'Volvo',
    model: 'EC220E',
    serialPrefix: 'EC220',
    serviceInterval: 500,
    fuelLitresPerHour: 13,
    serviceLabour: 600,
  },
  {
    category: 'wheel-loader',
    oemName: 'Volvo',
    model: 'L90H',
    serialPrefix: 'L90H',
    serviceInterval: 500,
    fuelLitresPerHour: 11,
    serviceLabour: 560,
  },
  {
    category: 'wheel-loader',
    oemName: 'Caterpillar',
    model: '950 GC',
    serialPrefix: 'CAT950',
    serviceInterval: 500,
    fuelLitresPerHour: 15,
    serviceLabour: 640,
  },
  {
    category: 'skid-steer',
    oemName: 'Bobcat',
    model: 'S650',
    serialPrefix: 'S650',
    serviceInterval: 250,
    fuelLitresPerHour: 5,
    serviceLabour: 280,
  },
  {
    category: 'backhoe-loader',
    oemName: 'JCB',
    model: '3CX',
    serialPrefix: 'JCB3CX',
    serviceInterval: 500,
    fuelLitresPerHour: 6,
    serviceLabour: 380,
  },
]);

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export const FAULT_CODES: readonly { code: string; severity: Severity; weight: number }[] = Object.freeze([
  { code: 'I-SRV-01', severity: 'info', weight: 20 },
  { code: 'E0117', severity: 'low', weight: 15 },
  { code: 'L-BAT-02', severity: 'low', weight: 12 },
  { code: 'CA2185', severity: 'medium', weight: 12 },
  { code: 'M-DPF-07', severity: 'medium', weight: 10 },
  { code: 'E-HYD-12', severity: 'medium', weight: 9 },
  { code: 'CA431', severity: 'high', weight: 8 },
  { code: 'P0087', severity: 'high', weight: 6 },
  { code: 'CA559', severity: 'critical', weight: 4 },
  { code: 'E-ENG-04', severity: 'critical', weight: 4 },
]);

export const BRANCH_NAMES = Object.freeze([
  'North',
  'South',
  'East',
  'West',
  'Central',
  'Harbour',
  'Valley',
  'Ridge',
  'Lakeside',
  'Forest',
]);

export const SURNAMES = Object.freeze([
  'Hartmann',
  'Becker',
  'Keller',
  'Vogel',
  'Brandt',
  'Lindner',
  'Albrecht',
  'Krause',
  'Seidel',
  'Winter',
  'Ferrari',
  'Moreau',
  'Novak',
  'Jansen',
  'Eriksson',
  'Kowalski',
  'Horvath',
  'Dubois',
  'Larsen',
  'Romano',
  'Fischer',
  'Wagner',
  'Schulz',
  'Richter',
  'Wolf',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Hofmann',
]);

export const COMPANY_SUFFIXES = Object.freeze([
  'Earthworks',
  'Bau GmbH',
  'Construction',
  'Civil Engineering',
  'Landscaping',
  'Quarries',
  'Demolition',
  'Groundworks',
]);

export const COMPLAINT_CATEGORIES = Object.freeze(['repair quality', 'downtime', 'invoice', 'communication']);

export const GOOD_COMMENTS = Object.freeze([
  'Quick turnaround, thanks',
  'Technician explained everything',
  'Machine back on site the same day',
  'Fair price and on time',
]);

export const NEUTRAL_COMMENTS = Object.freeze([
  'OK, but a bit expensive',
  'Took longer than promised',
  'Fine, nothing special',
]);

export const BAD_COMMENTS = Object.freeze([
  'Machine down for over a week, nobody called back',
  'Same fault came back right after the repair',
  'Invoice much higher than the quote',
  'We lost a job because of the downtime',
]);
