import { IsoParseError, parseFleetDocument } from './index';

const ISO_PAGE = `<?xml version="1.0" encoding="UTF-8"?>
<iso:Fleet xmlns:iso="http://standards.iso.org/iso/15143/-3" version="1" snapshotTime="2026-04-10T18:00:00Z">
  <iso:Links><iso:rel>self</iso:rel><iso:href>https://oem.example/Fleet/1</iso:href></iso:Links>
  <iso:Links><iso:rel>next</iso:rel><iso:href>https://oem.example/Fleet/2</iso:href></iso:Links>
  <iso:Equipment>
    <iso:EquipmentHeader><iso:OEMName>Komatsu</iso:OEMName><iso:SerialNumber>PC200-10001</iso:SerialNumber></iso:EquipmentHeader>
    <iso:CumulativeOperatingHours datetime="2026-04-10T17:00:00Z"><iso:Hour>1262.4</iso:Hour></iso:CumulativeOperatingHours>
  </iso:Equipment>
</iso:Fleet>`;

const JSON_PAGE = JSON.stringify({
  version: '1',
  snapshotTime: '2026-04-10T18:00:00Z',
  links: [
    { rel: 'self', href: 'https://oem.example/Fleet/1' },
    { rel: 'Next', href: 'https://oem.example/Fleet/2' },
  ],
  equipment: [
    {
      equipmentHeader: {
        oemName: 'Komatsu',
        model: 'PC200-8',
        serialNumber: 'PC200-10001',
        PIN: 'KMTPC200C10001',
      },
      location: { datetime: '2026-04-10T17:30:00Z', latitude: 31.23, longitude: 121.47 },
      CUMULATIVEOPERATINGHOURS: { Hour: 1262.4, datetime: '2026-04-10T17:00:00Z' },
      fuelUsed: { fuelUnits: 'litre', fuelConsumed: 5000, datetime: '2026-04-10T17:00:00Z' },
      engineStatus: { running: true, datetime: '2026-04-10T17:40:00Z' },
      faultCodes: [{ codeIdentifier: 'CA431', codeSeverity: 'High', datetime: '2026-04-09T08:00:00Z' }],
    },
  ],
});

describe('parseFleetDocument', () => {
  it('reads prefixed ISO 15143-3 XML by local name, with snapshotTime and the next link', () => {
    const doc = parseFleetDocument(ISO_PAGE);
    expect(doc).toEqual({
      version: '1',
      snapshotTime: '2026-04-10T18:00:00Z',
      nextLink: 'https://oem.example/Fleet/2',
      equipment: [
        {
          header: { oemName: 'Komatsu', serialNumber: 'PC200-10001' },
          operatingHours: { hour: '1262.4', datetime: '2026-04-10T17:00:00Z' },
          engineStatus: [],
          faultCodes: [],
        },
      ],
    });
  });

  it('reads the older AEMP namespace as a default namespace, with links given as attributes', () => {
    const doc = parseFleetDocument(
      `<Fleet xmlns="http://www.aemp.org/aemp/telematics/2.0"><Links rel="next" href="https://x/Fleet/9"/>` +
        `<Equipment><EquipmentHeader><PIN>ABC</PIN></EquipmentHeader></Equipment></Fleet>`,
    );
    expect(doc.nextLink).toBe('https://x/Fleet/9');
    expect(doc.equipment[0].header.pin).toBe('ABC');
  });

  it('has no nextLink when the page has no next link', () => {
    expect(
      parseFleetDocument('<Fleet><Links><rel>last</rel><href>https://x/1</href></Links></Fleet>'),
    ).toEqual({
      equipment: [],
    });
    expect(parseFleetDocument('{"Links":[],"Equipment":[]}')).toEqual({ equipment: [] });
  });

  it('reads the JSON form with keys in any case, numbers and booleans kept', () => {
    const doc = parseFleetDocument(JSON_PAGE);
    expect(doc.nextLink).toBe('https://oem.example/Fleet/2');
    expect(doc.snapshotTime).toBe('2026-04-10T18:00:00Z');
    expect(doc.equipment).toEqual([
      {
        header: { oemName: 'Komatsu', model: 'PC200-8', serialNumber: 'PC200-10001', pin: 'KMTPC200C10001' },
        location: { datetime: '2026-04-10T17:30:00Z', latitude: 31.23, longitude: 121.47 },
        operatingHours: { hour: 1262.4, datetime: '2026-04-10T17:00:00Z' },
        fuelUsed: { fuelUnits: 'litre', fuelConsumed: 5000, datetime: '2026-04-10T17:00:00Z' },
        engineStatus: [{ running: true, datetime: '2026-04-10T17:40:00Z' }],
        faultCodes: [{ code: 'CA431', severity: 'High', datetime: '2026-04-09T08:00:00Z' }],
      },
    ]);
  });

  it('honours an explicit content type and accepts a {"Fleet": {...}} wrapper and a BOM', () => {
    const doc = parseFleetDocument('\uFEFF{"Fleet":{"Links":[{"rel":"next","href":"https://x/2"}]}}', 'json');
    expect(doc).toEqual({ equipment: [], nextLink: 'https://x/2' });
    expect(() => parseFleetDocument(ISO_PAGE, 'json')).toThrow(IsoParseError);
  });

  it('reads fault codes in a container, as bare records and as J1939 SPN/FMI', () => {
    const doc = parseFleetDocument(`<Fleet><Equipment>
      <FaultCodes><FaultCode datetime="2026-01-01T00:00:00Z"><CodeIdentifier>E01</CodeIdentifier><CodeSeverity>3</CodeSeverity></FaultCode>
        <FaultCode>E02</FaultCode></FaultCodes>
      <Fault><SPN>110</SPN><FMI>0</FMI><Severity>critical</Severity></Fault></Equipment></Fleet>`);
    expect(doc.equipment[0].faultCodes).toEqual([
      { code: 'E01', severity: '3', datetime: '2026-01-01T00:00:00Z' },
      { code: 'E02' },
      { code: 'SPN110-FMI0', severity: 'critical' },
    ]);
  });

  it.each([
    ['empty text', '   ', /empty/],
    ['plain text', 'Service Unavailable', /neither XML nor JSON/],
    ['malformed XML', '<Fleet><Equipment></Fleet>', /malformed XML at line 1/],
    ['another XML root', '<html><body/></html>', /root element is 'html', expected Fleet/],
    ['malformed JSON', '{"Equipment": [', /malformed JSON/],
    ['JSON without Equipment or Links', '{"error":"unauthorised"}', /neither an Equipment nor a Links/],
    ['a JSON scalar', '"Fleet"', /neither XML nor JSON/],
  ])('throws IsoParseError for %s', (_label, text, message) => {
    let err: unknown;
    try {
      parseFleetDocument(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IsoParseError);
    expect((err as IsoParseError).code).toBe('ISO_PARSE_ERROR');
    expect((err as IsoParseError).message).toMatch(message);
  });
});
