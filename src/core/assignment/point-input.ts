import { parseCsv } from '../formats/csv';

/** One point to assign, with where it came from in the input (for messages). */
export interface InputPoint {
  /** Feature id, CSV `id` column, or the 1-based row/feature number when there is none. */
  id: string | number;
  lon: number;
  lat: number;
  category: string;
  /** Every other property / column, kept as given. */
  properties: Record<string, unknown>;
  /** "line 7" or "feature 3": where a person finds this row. */
  where: string;
}

export interface InputProblem {
  where: string;
  message: string;
}

export interface PointInput {
  points: InputPoint[];
  problems: InputProblem[];
}

const LON_COLUMNS = ['lon', 'lng', 'longitude', 'x', '经度'];
const LAT_COLUMNS = ['lat', 'latitude', 'y', '纬度'];
const CATEGORY_COLUMNS = ['category', '类别'];

/** Reads points from GeoJSON (FeatureCollection, Feature array, or one Feature) or CSV text. */
export function parsePointInput(text: string): PointInput {
  const start = text.replace(/^\ufeff/, '').trimStart()[0];
  return start === '{' || start === '[' ? parseGeoJsonPoints(text) : parseCsvPoints(text);
}

function parseGeoJsonPoints(text: string): PointInput {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    return { points: [], problems: [{ where: 'input', message: `not valid JSON: ${(error as Error).message}` }] };
  }
  const features: unknown[] | null = Array.isArray(json)
    ? json
    : isObject(json) && json.type === 'FeatureCollection' && Array.isArray(json.features)
      ? json.features
      : isObject(json) && json.type === 'Feature'
        ? [json]
        : null;
  if (!features) {
    return { points: [], problems: [{ where: 'input', message: 'expected a GeoJSON FeatureCollection, a Feature, or an array of Features' }] };
  }
  const points: InputPoint[] = [];
  const problems: InputProblem[] = [];
  features.forEach((feature, i) => {
    const where = `feature ${i + 1}`;
    if (!isObject(feature) || feature.type !== 'Feature') return problems.push({ where, message: 'not a GeoJSON Feature' });
    const geometry = feature.geometry;
    if (!isObject(geometry) || geometry.type !== 'Point' || !Array.isArray(geometry.coordinates)) {
      return problems.push({ where, message: `geometry must be a Point, got ${isObject(geometry) ? String(geometry.type) : String(geometry)}` });
    }
    const properties = isObject(feature.properties) ? { ...feature.properties } : {};
    const category = properties.category;
    if (typeof category !== 'string' || category.trim() === '') {
      return problems.push({ where, message: 'properties.category is missing' });
    }
    const [lon, lat] = geometry.coordinates as unknown[];
    const id = typeof feature.id === 'string' || typeof feature.id === 'number' ? feature.id : i + 1;
    points.push({ id, lon: Number(lon), lat: Number(lat), category: category.trim(), properties, where });
  });
  return { points, problems };
}

function parseCsvPoints(text: string): PointInput {
  let records;
  try {
    records = parseCsv(text);
  } catch (error) {
    return { points: [], problems: [{ where: 'input', message: (error as Error).message }] };
  }
  if (records.length === 0) return { points: [], problems: [{ where: 'input', message: 'the CSV is empty' }] };
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const column = (names: string[]) => header.findIndex((h) => names.includes(h));
  const lonAt = column(LON_COLUMNS);
  const latAt = column(LAT_COLUMNS);
  const categoryAt = column(CATEGORY_COLUMNS);
  const idAt = column(['id']);
  const missing = [
    lonAt < 0 && 'lon (or lng, longitude, x)',
    latAt < 0 && 'lat (or latitude, y)',
    categoryAt < 0 && 'category',
  ].filter(Boolean);
  if (missing.length) {
    return { points: [], problems: [{ where: 'line 1', message: `the header needs the column(s) ${missing.join(', ')}; found: ${records[0].fields.join(', ')}` }] };
  }
  const points: InputPoint[] = [];
  const problems: InputProblem[] = [];
  for (const { line, fields } of records.slice(1)) {
    const where = `line ${line}`;
    if (fields.length !== header.length) {
      problems.push({ where, message: `has ${fields.length} fields, the header has ${header.length}` });
      continue;
    }
    const parseNumber = (value: string) => (value.trim() === '' ? NaN : Number(value));
    const lon = parseNumber(fields[lonAt]);
    const lat = parseNumber(fields[latAt]);
    const category = fields[categoryAt].trim();
    if (!category) {
      problems.push({ where, message: 'category is empty' });
      continue;
    }
    const properties: Record<string, unknown> = {};
    // Other columns keep their header as written (not lower-cased), so they come out as they went in.
    records[0].fields.forEach((column, i) => {
      if (i !== lonAt && i !== latAt && i !== idAt) properties[column.trim()] = fields[i];
    });
    properties.category = category;
    points.push({ id: idAt >= 0 && fields[idAt] !== '' ? fields[idAt] : line - 1, lon, lat, category, properties, where });
  }
  return { points, problems };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
