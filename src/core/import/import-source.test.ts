import { describe, expect, it } from 'vitest';
import { zipSync } from 'fflate';
import { DEFAULT_UNPACK_LIMITS, UnpackLimitError, openFiles, type UnpackLimits } from './import-source';

const text = (s: string) => new TextEncoder().encode(s);
const collection = (n: number) => text(JSON.stringify({ type: 'FeatureCollection', features: Array.from({ length: n }, (_, i) => ({ type: 'Feature', id: `g${i}`, properties: { name: `网格${i}` }, geometry: { type: 'Point', coordinates: [120 + i * 1e-4, 30] } })) }));
const limits = (over: Partial<UnpackLimits>): UnpackLimits => ({ ...DEFAULT_UNPACK_LIMITS, ...over });

/** Runs `fn` and returns what it threw (or fails). */
function thrown(fn: () => unknown): UnpackLimitError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UnpackLimitError) return error;
    throw error;
  }
  throw new Error('nothing was thrown');
}

describe('openFiles within unpack limits', () => {
  it('reads a zip that stays within every limit', () => {
    const opened = openFiles([{ name: 'grids.zip', bytes: zipSync({ 'grids.geojson': collection(50), '__MACOSX/._grids.geojson': text('x'), 'docs/': new Uint8Array(0) }) }]);
    expect(opened.sources.map((s) => s.name)).toEqual(['grids.zip/grids.geojson']);
    expect(opened.skipped).toEqual([]);
  });

  it('stops a zip that expands past the ratio once past the floor, before it is whole', () => {
    const spaces = new Uint8Array(4 * 1024 * 1024).fill(32);
    const bomb = zipSync({ 'grids.geojson': spaces }, { level: 9 });
    const error = thrown(() => openFiles([{ name: 'grids.zip', bytes: bomb }], limits({ ratioFloorBytes: 1024 * 1024, maxRatio: 100 })));
    expect(error.details).toEqual({ file: 'grids.zip', limit: 'ratio', value: 100 });
    expect(error.message).toMatch(/^grids\.zip 解压后膨胀超过 100 倍/);
    // Below the floor, any ratio is fine (a small, very regular file).
    expect(openFiles([{ name: 'grids.zip', bytes: bomb }], limits({ ratioFloorBytes: 8 * 1024 * 1024, maxRatio: 100 })).skipped).toHaveLength(0);
  });

  it('stops when all files together unpack past the total, zips and plain files alike', () => {
    const member = collection(2000); // about 200 KB, deflates about 8×
    const zip = zipSync({ 'a.geojson': member, 'b.geojson': member });
    const error = thrown(() => openFiles([{ name: 'two.zip', bytes: zip }], limits({ maxUnpackedBytes: member.length + 1000 })));
    expect(error.details).toMatchObject({ limit: 'unpacked_bytes' });
    expect(error.message).toMatch(/two\.zip\/b\.geojson/);
    expect(() => openFiles([{ name: 'a.geojson', bytes: member }, { name: 'b.geojson', bytes: member }], limits({ maxUnpackedBytes: member.length + 1000 }))).toThrow(UnpackLimitError);
  });

  it('refuses a zip of too many members', () => {
    const files = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${i}.csv`, text('a,b\n1,2\n')]));
    expect(thrown(() => openFiles([{ name: 'many.zip', bytes: zipSync(files) }], limits({ maxEntries: 20 }))).details).toMatchObject({ limit: 'entries' });
  });

  it('skips what is not a zip, or a truncated one, with the reason', () => {
    const whole = zipSync({ 'grids.geojson': collection(200) }, { level: 0 });
    const opened = openFiles([
      { name: 'fake.zip', bytes: text('not a zip at all') },
      { name: 'cut.zip', bytes: whole.subarray(0, Math.floor(whole.length / 2)) },
    ]);
    expect(opened.sources).toEqual([]);
    expect(opened.skipped.map((s) => s.name)).toEqual(['fake.zip', 'cut.zip']);
    expect(opened.skipped.every((s) => s.reason.startsWith('not a readable zip'))).toBe(true);
  });
});
