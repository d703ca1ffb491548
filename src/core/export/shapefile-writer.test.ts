import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cleanDistrict } from '../../../tests/fixtures/import/import-fixtures';
import { DBF_DEFAULT_DATE, writeShapefile, zipDistrictShapefiles } from './shapefile-writer';

/** The .dbf header's last-update date as [year, month, day]. */
const dbfDate = (dbf: Uint8Array) => [1900 + dbf[1]!, dbf[2]!, dbf[3]!];

describe('the dates a Shapefile export carries', () => {
  it('dates the .dbf files and the zip entries with the time of the export, and gives the same bytes for the same time', () => {
    const at = new Date(Date.UTC(2027, 4, 17, 9, 30));
    const zip = zipDistrictShapefiles(cleanDistrict(), at);
    const files = unzipSync(zip);
    for (const name of Object.keys(files).filter((n) => n.endsWith('.dbf'))) expect(dbfDate(files[name]!), name).toEqual([2027, 5, 17]);
    expect(zipDistrictShapefiles(cleanDistrict(), at)).toEqual(zip);
    expect(zipDistrictShapefiles(cleanDistrict(), new Date(Date.UTC(2027, 4, 18)))).not.toEqual(zip);
  });

  it('gives files written without a date the fixed default day, so fixtures never change', () => {
    const feature = { id: 'a', geometry: { type: 'Point', coordinates: [112.2, 30.3] }, properties: {} };
    const { dbf } = writeShapefile([feature], [{ name: 'ID', type: 'C', value: (f) => f.id }]);
    expect(dbfDate(dbf)).toEqual([DBF_DEFAULT_DATE.getUTCFullYear(), DBF_DEFAULT_DATE.getUTCMonth() + 1, DBF_DEFAULT_DATE.getUTCDate()]);
  });
});
