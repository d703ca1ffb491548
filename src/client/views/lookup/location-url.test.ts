import { describe, expect, it } from 'vitest';
import { hasLocationParams, locationSearch, parseCoordinatePair, parseLocation } from './location-url';

describe('lookup location in the URL', () => {
  it('round-trips a location, WGS-84 by default', () => {
    const search = locationSearch({ lon: 114.3055, lat: 30.5928, crs: 'gcj02' });
    expect(search).toBe('lon=114.305500&lat=30.592800&crs=gcj02');
    expect(parseLocation(search)).toEqual({ lon: 114.3055, lat: 30.5928, crs: 'gcj02' });
    expect(parseLocation('lon=114.3&lat=30.5')).toEqual({ lon: 114.3, lat: 30.5, crs: 'wgs84' });
  });

  it('ignores missing, non-numeric and out-of-range coordinates and unknown datums', () => {
    expect(parseLocation('')).toBeNull();
    expect(parseLocation('lon=abc&lat=30')).toBeNull();
    expect(hasLocationParams('lon=abc&lat=30')).toBe(true);
    expect(hasLocationParams('q=x')).toBe(false);
    expect(parseLocation('lon=181&lat=30')).toBeNull();
    expect(parseLocation('lon=114&lat=')).toBeNull();
    expect(parseLocation('lon=114&lat=30&crs=epsg3857')?.crs).toBe('wgs84');
  });

  it('reads pasted pairs with ASCII or full-width commas', () => {
    expect(parseCoordinatePair('114.3, 30.5')).toEqual([114.3, 30.5]);
    expect(parseCoordinatePair('114.3，30.5')).toEqual([114.3, 30.5]);
    expect(parseCoordinatePair('114.3 30.5')).toEqual([114.3, 30.5]);
    expect(parseCoordinatePair('114.3')).toBeNull();
    expect(parseCoordinatePair('30.5, 200')).toBeNull();
  });
});
