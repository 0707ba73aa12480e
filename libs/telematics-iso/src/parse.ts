import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { readEquipment } from './equipment';
import { IsoParseError } from './errors';
import { childrenNamed, localName, scalarOf, toNodes, type DocNode } from './tree';
import type { FleetDocument } from './types';

/**
 * Reads an ISO 15143-3 (AEMP 2.0) fleet snapshot page, XML or JSON. Elements and keys are matched by
 * local name, case-insensitively, so the ISO, JCMA and older AEMP namespaces all read the same.
 * Throws IsoParseError only when the document as a whole is unreadable; bad entries are left to mapEquipment.
 */
export function parseFleetDocument(text: string, contentType?: 'xml' | 'json'): FleetDocument {
  if (typeof text !== 'string') throw new IsoParseError('fleet document must be a string');
  const body = text.replace(/^\uFEFF/, '');
  const kind = contentType ?? sniff(body);
  try {
    return toFleetDocument(kind === 'xml' ? readXml(body) : readJson(body));
  } catch (e) {
    if (e instanceof IsoParseError) throw e;
    // e.g. RangeError from absurdly deep nesting: still a document-level failure, reported as such.
    throw new IsoParseError(`unreadable fleet document: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function sniff(body: string): 'xml' | 'json' {
  const first = body.trimStart().charAt(0);
  if (first === '<') return 'xml';
  if (first === '{' || first === '[') return 'json';
  if (first === '') throw new IsoParseError('fleet document is empty');
  throw new IsoParseError(
    `fleet document is neither XML nor JSON (starts with '${body.trimStart().slice(0, 20)}')`,
  );
}

function readXml(body: string): DocNode {
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new IsoParseError(`malformed XML at line ${line}, column ${col}: ${msg}`);
  }
  let parsed: unknown;
  try {
    parsed = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@_',
      removeNSPrefix: true,
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: true,
      isArray: (_name, _path, _isLeaf, isAttribute) => !isAttribute,
    }).parse(body);
  } catch (e) {
    throw new IsoParseError(`malformed XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const roots = toNodes('#document', parsed)[0].children;
  if (roots.length !== 1)
    throw new IsoParseError(`XML document has ${roots.length} root elements, expected one Fleet`);
  return roots[0];
}

function readJson(body: string): DocNode {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (e) {
    throw new IsoParseError(`malformed JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  // A bare array is taken as the Equipment list of a page without links.
  if (Array.isArray(parsed)) return { name: 'fleet', children: toNodes('equipment', parsed) };
  const fleet = fleetObject(parsed) ?? fleetObject(memberNamed(parsed, 'fleet'));
  if (!fleet) {
    throw new IsoParseError('JSON fleet document has neither an Equipment nor a Links member');
  }
  return toNodes('fleet', fleet)[0];
}

function fleetObject(value: unknown): object | undefined {
  const hasMember =
    memberNamed(value, 'equipment') !== undefined || memberNamed(value, 'links') !== undefined;
  return hasMember ? (value as object) : undefined;
}

function memberNamed(value: unknown, name: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const key = Object.keys(value).find((k) => localName(k) === name);
  return key === undefined ? undefined : (value as Record<string, unknown>)[key];
}

function toFleetDocument(root: DocNode): FleetDocument {
  // Single-machine endpoints answer with one Equipment element instead of a Fleet.
  const fleet = root.name === 'equipment' ? { name: 'fleet', children: [root] } : root;
  if (fleet.name !== 'fleet') {
    throw new IsoParseError(`root element is '${root.name}', expected Fleet (ISO 15143-3 fleet snapshot)`);
  }
  const version = scalarOf(fleet, 'version');
  const snapshotTime = scalarOf(fleet, 'snapshottime');
  return {
    ...(version !== undefined && { version: String(version).trim() }),
    ...(snapshotTime !== undefined && { snapshotTime: String(snapshotTime).trim() }),
    equipment: childrenNamed(fleet, 'equipment').map(readEquipment),
    ...nextLinkOf(fleet),
  };
}

function nextLinkOf(fleet: DocNode): { nextLink?: string } {
  for (const link of childrenNamed(fleet, 'links', 'link')) {
    const rel = scalarOf(link, 'rel');
    const href = scalarOf(link, 'href');
    if (rel !== undefined && String(rel).trim().toLowerCase() === 'next' && href !== undefined) {
      return { nextLink: String(href).trim() };
    }
  }
  return {};
}
