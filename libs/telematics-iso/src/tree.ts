import type { RawScalar } from './types';

/**
 * Document-neutral view of both the XML and the JSON form. Names are local (namespace prefix dropped)
 * and lower-cased, because feeds disagree on prefixes and on `SerialNumber` vs `serialNumber`.
 * XML attributes become children, because feeds put `datetime` in an attribute on some elements
 * and in a child element on others.
 */
export interface DocNode {
  name: string;
  value?: RawScalar;
  children: DocNode[];
}

/**
 * Converts a parsed XML object (fast-xml-parser, `@_` attributes) or a JSON value into nodes. JSON made
 * from XML by the usual converters reads the same: `@name` attributes (Newtonsoft, BadgerFish), an
 * xml2js `$` object of attributes with the text under `_`, and a BadgerFish `$` text.
 */
export function toNodes(name: string, value: unknown): DocNode[] {
  if (Array.isArray(value)) return value.flatMap((v: unknown) => toNodes(name, v));
  const node: DocNode = { name: localName(name), children: [] };
  if (isScalar(value)) {
    node.value = value;
  } else if (value !== null && typeof value === 'object') {
    const members = value as Record<string, unknown>;
    const xml2js = isPlainObject(members.$);
    for (const [key, v] of Object.entries(members)) {
      if (key === '#text' || (key === '$' && isScalar(v)) || (key === '_' && xml2js)) {
        if (isScalar(v)) node.value = v;
      } else if (key === '$' && isPlainObject(v)) {
        for (const [attr, a] of Object.entries(v)) node.children.push(...toNodes(attr, a));
      } else if (!key.startsWith('?')) {
        node.children.push(...toNodes(key, v));
      }
    }
  }
  return [node];
}

/** Lower-cased local name: without the namespace prefix and an attribute marker (`@_`, `@`). */
export function localName(raw: string): string {
  const name = raw.startsWith('@_') ? raw.slice(2) : raw.startsWith('@') ? raw.slice(1) : raw;
  return name.slice(name.lastIndexOf(':') + 1).toLowerCase();
}

/** Children whose name is one of `names` (lower-case), in document order. */
export function childrenNamed(node: DocNode, ...names: string[]): DocNode[] {
  return node.children.filter((c) => names.includes(c.name));
}

export function firstNamed(node: DocNode, ...names: string[]): DocNode | undefined {
  for (const name of names) {
    const hit = node.children.find((c) => c.name === name);
    if (hit) return hit;
  }
  return undefined;
}

/** Value of the first child named like one of `names` (in priority order) that carries a non-blank value. */
export function scalarOf(node: DocNode, ...names: string[]): RawScalar | undefined {
  for (const name of names) {
    for (const c of node.children) {
      if (c.name === name && c.value !== undefined && String(c.value).trim() !== '') return c.value;
    }
  }
  return undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function isScalar(v: unknown): v is RawScalar {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
