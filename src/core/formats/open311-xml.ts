/**
 * The XML form of GeoReport v2 responses (the specification's required format; JSON is its
 * "Spark convention" mapping of the same document): a root element, one element per array item,
 * fields as child elements, null as an empty element. Pure string building.
 */
import { stripXmlIllegal } from './unsafe-text';

/** Root and item element names of each kind of response. */
export const OPEN311_XML_ROOTS = {
  services: ['services', 'service'],
  requests: ['service_requests', 'request'],
  errors: ['errors', 'error'],
} as const;

/** Element names of the items of nested arrays (a service definition's attributes and their values). */
const ITEM_NAMES: Record<string, string> = { attributes: 'attribute', values: 'value', endpoints: 'endpoint', formats: 'format' };

/**
 * Text as XML character data: markup escaped, and characters XML 1.0 forbids (control characters,
 * lone surrogates) dropped, so that a stored description can never make the document ill-formed.
 */
const escape = (text: string) => stripXmlIllegal(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function element(name: string, value: unknown, indent: string, itemName?: string): string {
  if (value === null || value === undefined) return `${indent}<${name}/>`;
  if (Array.isArray(value)) {
    const item = itemName ?? ITEM_NAMES[name] ?? 'item';
    if (value.length === 0) return `${indent}<${name}/>`;
    return `${indent}<${name}>\n${value.map((v) => element(item, v, indent + '  ')).join('\n')}\n${indent}</${name}>`;
  }
  if (typeof value === 'object') {
    const children = Object.entries(value as Record<string, unknown>).map(([k, v]) => element(k, v, indent + '  '));
    return `${indent}<${name}>\n${children.join('\n')}\n${indent}</${name}>`;
  }
  return `${indent}<${name}>${escape(String(value))}</${name}>`;
}

/** A list response (services, requests, errors) as XML: `<root><item>…</item>…</root>`. */
export function open311ListXml(kind: keyof typeof OPEN311_XML_ROOTS, items: readonly object[]): string {
  const [root, item] = OPEN311_XML_ROOTS[kind];
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, items, '', item)}\n`;
}

/** One object response (a service definition) as XML under `root`. */
export function open311ObjectXml(root: string, value: object): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, '')}\n`;
}
