// @vitest-environment jsdom
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPEN311_XML_ROOTS, open311ListXml, open311ObjectXml } from './open311-xml';

/** Parses with the browser's XML parser (jsdom): a document that does not parse fails the test. */
function parse(xml: string): Document {
  const doc = new DOMParser().parseFromString(xml, 'application/xml');
  expect(doc.getElementsByTagName('parsererror')).toHaveLength(0);
  return doc;
}

const childText = (el: Element, name: string) => el.getElementsByTagName(name)[0]?.textContent;

describe('Open311 GeoReport v2 XML', () => {
  it('writes a list under its root, one element per item, fields as children', () => {
    const xml = open311ListXml('requests', [
      { service_request_id: 'I-1', status: 'open', lat: 30.5, long: 114.3, media_url: null },
      { service_request_id: 'I-2', status: 'closed', lat: 30.6, long: 114.4, media_url: null },
    ]);
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
    const doc = parse(xml);
    expect(doc.documentElement.tagName).toBe('service_requests');
    const items = [...doc.documentElement.children];
    expect(items.map((e) => e.tagName)).toEqual(['request', 'request']);
    expect(childText(items[1], 'service_request_id')).toBe('I-2');
    expect(childText(items[0], 'lat')).toBe('30.5');
  });

  it('names the items of each kind of list as the specification does', () => {
    for (const [kind, [root, item]] of Object.entries(OPEN311_XML_ROOTS)) {
      const doc = parse(open311ListXml(kind as keyof typeof OPEN311_XML_ROOTS, [{ code: 1 }]));
      expect(doc.documentElement.tagName).toBe(root);
      expect(doc.documentElement.children[0].tagName).toBe(item);
    }
  });

  it('writes null and empty lists as empty elements', () => {
    const doc = parse(open311ListXml('services', [{ description: null, keywords: [] }]));
    const service = doc.documentElement.children[0];
    expect(service.getElementsByTagName('description')[0].childNodes).toHaveLength(0);
    expect(service.getElementsByTagName('keywords')[0].childNodes).toHaveLength(0);
    expect(parse(open311ListXml('services', [])).documentElement.childNodes).toHaveLength(0);
  });

  it('names nested array items (a service definition’s attributes and their values)', () => {
    const definition = {
      service_code: 'weed',
      attributes: [{ code: 'size', values: [{ key: 's', name: '小' }, { key: 'l', name: '大' }] }],
    };
    const doc = parse(open311ObjectXml('service_definition', definition));
    expect(doc.documentElement.tagName).toBe('service_definition');
    const attribute = doc.getElementsByTagName('attribute');
    expect(attribute).toHaveLength(1);
    expect([...attribute[0].getElementsByTagName('value')].map((v) => childText(v, 'name'))).toEqual(['小', '大']);
  });

  it('escapes any text so that the document parses and gives the text back (Chinese, markup, quotes)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '街', '&', '<', '>', '"', "'", ' ', '\n', ';', '#', '东') }), (text) => {
        const doc = parse(open311ListXml('errors', [{ code: 400, description: text }]));
        expect(childText(doc.documentElement.children[0], 'description')).toBe(text);
      }),
      { numRuns: 300, seed: 21 },
    );
  });
});
