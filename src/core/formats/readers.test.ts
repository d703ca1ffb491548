import { describe, expect, it } from 'vitest';
import { encodeGbk } from '../../../tests/fixtures/import/import-fixtures';
import { writeShapefile } from '../export/shapefile-writer';
import { GeoJsonFeatureStream, epsgOfGeoJsonCrs } from './geojson-stream';
import { repairGeometry, spikeIndices } from '../import/geometry-repair';
import { openFiles } from '../import/import-source';
import { assemblePolygon, readShapefile } from './shapefile-reader';

const square = (x0: number, y0: number, x1: number, y1: number) => [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]];

describe('GeoJsonFeatureStream', () => {
  const text =
    '\ufeff{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4549"}},"features":[' +
    '{"type":"Feature","id":"a","properties":{"name":"东风 \\"}{[\\" 街道"},"geometry":{"type":"Point","coordinates":[1,2]}},' +
    '{"type":"Feature","id":"b","properties":{"nested":{"features":[{"x":1}]}},"geometry":null}],"name":"层"}';
  const bytes = new TextEncoder().encode(text);

  it('gives the same features whatever the chunk size, across multi-byte characters and escapes', () => {
    for (const size of [1, 2, 3, 7, 64, bytes.length]) {
      const stream = new GeoJsonFeatureStream();
      const found: unknown[] = [];
      for (let at = 0; at < bytes.length; at += size) stream.push(bytes.slice(at, at + size), (f) => found.push(f));
      stream.end();
      expect(found).toEqual(JSON.parse(text.slice(1)).features);
      expect(epsgOfGeoJsonCrs(stream.crs)).toBe(4549);
    }
  });

  it('reads a bare array and says when the input is cut short or not GeoJSON', () => {
    const array = new GeoJsonFeatureStream();
    const found: unknown[] = [];
    array.push(new TextEncoder().encode('[{"type":"Feature","properties":{},"geometry":null}]'), (f) => found.push(f));
    array.end();
    expect(found).toHaveLength(1);
    const cut = new GeoJsonFeatureStream();
    cut.push(bytes.subarray(0, 100), () => undefined);
    expect(() => cut.end()).toThrow(/truncated/);
    const other = new GeoJsonFeatureStream();
    other.push(new TextEncoder().encode('{"type":"Feature","geometry":null}'), () => undefined);
    expect(() => other.end()).toThrow(/FeatureCollection/);
  });
});

describe('shapefile reader', () => {
  it('sorts rings into shells and holes and writes them the GeoJSON way', () => {
    // Shapefile order: shell clockwise, hole counter-clockwise, a second shell clockwise.
    const shell = square(0, 0, 10, 10).reverse();
    const hole = square(2, 2, 4, 4);
    const other = square(20, 0, 30, 10).reverse();
    const g = assemblePolygon([shell, hole, other]) as { type: string; coordinates: number[][][][] };
    expect(g.type).toBe('MultiPolygon');
    expect(g.coordinates[0]).toHaveLength(2);
    expect(g.coordinates[0][0]).toEqual(square(0, 0, 10, 10)); // counter-clockwise now
    expect(g.coordinates[1]).toHaveLength(1);
  });

  it('decodes GBK attributes without a .cpg by looking at the bytes, UTF-8 when they are UTF-8', () => {
    const feature = { id: 'x', geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] }, properties: { name: '幸福里社区' } };
    const fields = [{ name: 'MC', type: 'C' as const, value: () => '幸福里社区' }];
    const gbk = writeShapefile([feature], fields, { encodeText: encodeGbk });
    const asGbk = readShapefile({ shp: gbk.shp, dbf: gbk.dbf });
    expect(asGbk.encoding).toBe('gb18030');
    expect([...asGbk.features()][0].properties).toEqual({ MC: '幸福里社区' });
    const utf8 = writeShapefile([feature], fields);
    const asUtf8 = readShapefile({ shp: utf8.shp, dbf: utf8.dbf });
    expect(asUtf8.encoding).toBe('utf-8');
    expect([...asUtf8.features()][0].properties).toEqual({ MC: '幸福里社区' });
  });

  it('groups loose shapefile parts by name and says what is missing', () => {
    const feature = { id: 'x', geometry: { type: 'Point', coordinates: [112.2, 30.3] }, properties: {} };
    const files = writeShapefile([feature], [{ name: 'MC', type: 'C', value: () => '点' }]);
    const opened = openFiles([
      { name: '点位.shp', bytes: files.shp },
      { name: '点位.dbf', bytes: files.dbf },
      { name: 'lonely.dbf', bytes: files.dbf },
      { name: 'notes.docx', bytes: new Uint8Array(1) },
    ]);
    expect(opened.sources.map((s) => [s.name, s.layerHint])).toEqual([['点位.shp', 'checkpoints']]);
    expect(opened.skipped.map((s) => s.name)).toEqual(['lonely.dbf', 'notes.docx']);
  });
});

describe('repairs', () => {
  it('closes rings, removes repeated points, fixes orientation and drops spikes', () => {
    const open = { type: 'Polygon', coordinates: [square(0, 0, 1, 1).slice(0, -1)] };
    expect(repairGeometry(open, 'close_ring')).toEqual({ geometry: { type: 'Polygon', coordinates: [square(0, 0, 1, 1)] }, changes: 1 });
    const repeated = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    expect(repairGeometry(repeated, 'remove_duplicates').changes).toBe(1);
    const clockwise = { type: 'Polygon', coordinates: [square(0, 0, 1, 1).reverse()] };
    expect(repairGeometry(clockwise, 'fix_orientation').geometry).toEqual({ type: 'Polygon', coordinates: [square(0, 0, 1, 1)] });
    const spiky = [[0, 0], [1, 0], [1, 0.5], [3, 0.5001], [1, 0.5002], [1, 1], [0, 1], [0, 0]];
    expect(spikeIndices(spiky)).toEqual([3]);
    const fixed = repairGeometry({ type: 'Polygon', coordinates: [spiky] }, 'drop_spikes');
    expect(fixed.changes).toBe(1);
    expect((fixed.geometry as { coordinates: number[][][] }).coordinates[0]).not.toContainEqual([3, 0.5001]);
  });
});
