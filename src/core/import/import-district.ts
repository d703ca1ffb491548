/**
 * core/import — a district's own files into a district folder: open the files (import-source),
 * guess and apply the field mapping, reproject, repair geometry, check topology, and report every
 * problem with where it is and what repair is offered (import-report). Sits on top of every lower
 * part; the server runs it in a worker thread.
 */
import { area, intersect, featureCollection, feature as turfFeature } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { fromWgs84 } from '../geometry/crs-convert';
import {
  CheckpointProperties,
  CommunityProperties,
  DistrictMeta,
  GridProperties,
  LAYERS,
  RoadProperties,
  StreetProperties,
  UnitList,
  ZONE_LAYERS,
  type DistrictGeometry,
  type LayerName,
  type Unit,
  type ZoneLayerName,
} from '../district/district-schema';
import { interiorPoint } from '../geometry/interior-point';
import type { AreaLike } from '../geometry/prepared-area';
import { ParentFinder } from '../district/parent-finder';
import { PARENT_LAYER } from '../topology/reference-check';
import { checkDistrictTopology } from '../topology/topology-check';
import { LAYER_NOUN, formatArea, type TopologyOptions, type TopologyProblem } from '../topology/topology-problem';
import {
  checkpointCategoryOf,
  chiefLevelOf,
  guessMapping,
  roadClassOf,
  type FieldMapping,
} from './field-mapping';
import { textValue } from '../formats/property-value';
import { findSpikes, forEachPosition, mapPositions, repairGeometry, type RepairKind } from './geometry-repair';
import { guessCrsFromExtent, isProjected, toWgs84Converter, type ImportCrs } from '../geometry/import-crs';
import {
  REPAIR_FOR,
  severityOf,
  sortImportProblems,
  type ImportCode,
  type ImportProblem,
  type ImportReport,
  type ImportSourceSummary,
} from './import-report';
import type { FolderExtras, OpenedFiles } from './import-source';
import type { SourceFeature } from '../formats/source-feature';

/**
 * The import pipeline, pure and synchronous over already-opened sources (import-source.ts):
 * choose each file's layer and CRS, map its attributes, convert to WGS-84, apply the repairs the
 * user accepted, find missing parents spatially, build the district as it would be stored and
 * check it — a dry run whose report says everything that is wrong before anything is stored.
 */

/** Per-file choices (the app's form, or the CLI's --layer/--crs/--map). */
export interface SourceSettings {
  layer?: LayerName;
  crs?: ImportCrs;
  mapping?: FieldMapping;
}

export interface ImportOptions {
  /** The district as stored now: its other layers, units and meta are kept. Null for a new one. */
  base: DistrictGeometry | null;
  /** Settings for every file, overridden per file by `settings[fileName]`. */
  defaults?: SourceSettings;
  settings?: Record<string, SourceSettings>;
  repairs?: readonly RepairKind[];
  topology?: TopologyOptions;
  /** For a district with no base and no district.json: its name, 6-digit code and inspection date. */
  newDistrict?: { name?: string; code?: string; inspectionDate?: string };
  /** "today" (ISO date) for a new district's default inspection date. */
  today?: string;
  onProgress?: (stage: ImportStage, done: number, total: number | null) => void;
}

export type ImportStage = 'reading' | 'converting' | 'parents' | 'checking' | 'done';

export interface ImportOutcome {
  report: ImportReport;
  /** The district as it would be stored (also when the report has errors: for showing them). */
  district: DistrictGeometry;
  /** The layers the import replaces. */
  layers: LayerName[];
}

type AnyProps = Record<string, unknown>;
interface BuiltFeature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: AnyProps;
}

/** Where a built feature came from, for the report. */
interface Origin {
  source: string;
  feature: number;
}

const ID_PREFIX: Record<LayerName, string> = { streets: 's', communities: 'c', grids: 'g', roads: 'r', checkpoints: 'cp' };
const PROPERTY_SCHEMAS = {
  streets: StreetProperties,
  communities: CommunityProperties,
  grids: GridProperties,
  roads: RoadProperties,
  checkpoints: CheckpointProperties,
};

/** Runs the pipeline. Never throws for bad data: everything wrong is a problem in the report. */
export function runImport(opened: OpenedFiles, options: ImportOptions): ImportOutcome {
  const progress = options.onProgress ?? (() => undefined);
  const problems: ImportProblem[] = [];
  const summaries: ImportSourceSummary[] = [];
  const origins = new Map<string, Origin>(); // `${layer}:${id}`
  const repairs = new Set(options.repairs ?? []);
  const repairsApplied: Record<string, number> = {};
  const built: Record<LayerName, BuiltFeature[]> = { streets: [], communities: [], grids: [], roads: [], checkpoints: [] };
  const imported = new Set<LayerName>();
  const unresolvedParent: Record<LayerName, { feature: BuiltFeature; raw: string }[]> = {
    streets: [],
    communities: [],
    grids: [],
    roads: [],
    checkpoints: [],
  };
  const owners: { feature: BuiltFeature; raw: string }[] = [];
  const add = (code: ImportCode, fields: Omit<ImportProblem, 'code' | 'severity'>) =>
    problems.push({ code, severity: severityOf(code), ...fields });

  let readCount = 0;
  for (const source of opened.sources) {
    const settings = { ...options.defaults, ...options.settings?.[source.name] };
    const summary: ImportSourceSummary = {
      name: source.name,
      format: source.format,
      layer: null,
      crs: null,
      crsFrom: null,
      crsNote: source.crsNote,
      encoding: source.encoding,
      fields: source.fields,
      mapping: {},
      features: 0,
      bbox: null,
    };
    summaries.push(summary);

    // 1. Read every feature (geometry still in the file's CRS).
    let raw: SourceFeature[] = [];
    try {
      for (const f of source.features()) {
        raw.push(f);
        if (++readCount % 5000 === 0) progress('reading', readCount, null);
      }
    } catch (error) {
      add('unreadable', {
        layer: settings.layer ?? source.layerHint ?? 'streets',
        featureId: '',
        source: source.name,
        feature: raw.length + 1,
        message: `${source.name}: ${(error as Error).message}`,
      });
      raw = [];
      continue;
    }
    summary.features = raw.length;

    // 2. The layer: chosen, else the file name, else the geometry.
    const layer = settings.layer ?? source.layerHint ?? layerFromGeometry(raw);
    if (!layer) {
      add('unknown_layer', {
        layer: 'streets',
        featureId: '',
        source: source.name,
        message: `${source.name}: cannot tell whether its polygons are streets, communities or grids; choose the layer (--layer)`,
      });
      continue;
    }
    summary.layer = layer;
    imported.add(layer);

    // 3. Swap x and y first when asked: it decides what the CRS looks like.
    if (repairs.has('swap_xy')) {
      for (const f of raw) f.geometry = repairGeometry(f.geometry, 'swap_xy').geometry;
      repairsApplied.swap_xy = (repairsApplied.swap_xy ?? 0) + raw.length;
    }
    const rawBox = extentOf(raw);

    // 4. The CRS: chosen, else declared by the file, else guessed from the coordinates.
    let crs: ImportCrs | null = settings.crs ?? null;
    summary.crsFrom = crs ? 'user' : null;
    if (!crs && source.declaredCrs) {
      crs = source.declaredCrs;
      summary.crsFrom = 'file';
    }
    if (!crs) {
      const guess = guessCrsFromExtent(rawBox);
      crs = guess.crs;
      summary.crsFrom = crs ? 'guess' : null;
      summary.crsNote = [source.crsNote, guess.reason].filter(Boolean).join('; ');
    }
    if (!crs) {
      add('unknown_crs', { layer, featureId: '', source: source.name, message: `${source.name}: ${summary.crsNote}` });
      continue;
    }
    summary.crs = crs;
    const looks = checkExtentAgainstCrs(rawBox, crs);
    if (looks) {
      add(looks.code, {
        layer,
        featureId: '',
        source: source.name,
        message: `${source.name}: ${looks.message}`,
        ...(looks.code === 'swapped_coordinates' ? { repair: 'swap_xy' as const } : {}),
      });
      continue;
    }

    // 5. Map attributes and convert.
    const mapping = source.format === 'district-folder' ? {} : guessMapping(source.fields, layer, settings.mapping);
    summary.mapping = mapping as Record<string, string>;
    const convert = toWgs84Converter(crs);
    const converts = crs !== 'wgs84' && crs !== 'cgcs2000';
    const native = source.format === 'district-folder' || looksNative(source.fields);
    const noCodeAttribute = !native && !mapping.code && layer !== 'roads';
    if (noCodeAttribute) {
      add('codes_generated', {
        layer,
        featureId: '',
        source: source.name,
        message: `${source.name}: no attribute is mapped to the code; the ids are used as codes (map one with --map code=ATTR)`,
      });
    }
    let converted = 0;
    for (let k = 0; k < raw.length; k++) {
      const f = raw[k];
      // The converted copy replaces the raw one: peak memory holds one copy of the layer, not two.
      (raw as (SourceFeature | null)[])[k] = null;
      const origin = { source: source.name, feature: f.index + 1 };
      let geometry = f.geometry;
      if (geometry !== null && geometry !== undefined) {
        // WGS-84 and CGCS2000 coordinates are kept as read: no copy of a large layer.
        if (converts) {
          geometry = mapPositions(geometry as { type: string; coordinates: unknown }, (p) => {
            const [lon, lat] = convert(p[0], p[1]);
            return [snap(lon), snap(lat)];
          });
        }
        for (const kind of ['close_ring', 'remove_duplicates', 'drop_spikes', 'fix_orientation'] as const) {
          if (!repairs.has(kind)) continue;
          const result = repairGeometry(geometry, kind);
          if (result.changes > 0) repairsApplied[kind] = (repairsApplied[kind] ?? 0) + result.changes;
          geometry = result.geometry;
        }
      }
      const feature = native ? nativeFeature(f, layer, geometry) : mappedFeature(f, layer, geometry, mapping, built[layer].length);
      const placeholder = `#${source.name}:${f.index + 1}`;
      if (!native && mapping.id && textValue(f.properties[mapping.id]) === '') {
        feature.id = placeholder;
        add('missing_id', {
          layer,
          featureId: placeholder,
          ...origin,
          message: `${LAYER_NOUN[layer]} number ${f.index + 1} of ${source.name} has a blank ${mapping.id}; every feature needs an id`,
        });
      }
      if (!native && mapping.code && layer !== 'roads' && textValue(f.properties[mapping.code]) === '') {
        add('missing_code', {
          layer,
          featureId: feature.id,
          ...origin,
          message: `${LAYER_NOUN[layer]} ${feature.id} (number ${f.index + 1} of ${source.name}) has a blank ${mapping.code}; zones and checkpoints need a code`,
        });
      }
      if (noCodeAttribute && !feature.properties.code) feature.properties.code = feature.id;
      if (!native && mapping.parent && (layer === 'communities' || layer === 'grids')) {
        unresolvedParent[layer].push({ feature, raw: textValue(f.properties[mapping.parent]) });
      } else if (layer === 'communities' || layer === 'grids') {
        const given = textValue(feature.properties.parentId);
        unresolvedParent[layer].push({ feature, raw: given });
      }
      if (!native && mapping.owner) owners.push({ feature, raw: textValue(f.properties[mapping.owner]) });
      if (geometry === null || geometry === undefined) {
        add('missing_geometry', { layer, featureId: feature.id, ...origin, message: `${LAYER_NOUN[layer]} ${feature.id} (number ${f.index + 1} of ${source.name}) has no geometry` });
      } else {
        for (const spike of findSpikes(geometry)) {
          add('spike', {
            layer,
            featureId: feature.id,
            ...origin,
            location: [spike[0], spike[1]],
            repair: 'drop_spikes',
            message: `${LAYER_NOUN[layer]} ${feature.id} has a spike at ${spike[0].toFixed(7)}, ${spike[1].toFixed(7)}: the boundary goes out and straight back`,
          });
        }
      }
      built[layer].push(feature);
      if (!origins.has(`${layer}:${feature.id}`)) origins.set(`${layer}:${feature.id}`, origin);
      if (++converted % 5000 === 0) progress('converting', converted, raw.length);
    }
    summary.bbox = extentOf(built[layer].slice(built[layer].length - raw.length));
    if (!Number.isFinite(summary.bbox[0])) summary.bbox = null;
    raw = [];
  }

  // The district the import builds on: the stored one, or the folder's district.json, or a new one.
  const folder = opened.folder;
  const units: Unit[] = baseUnits(options.base, folder, problems);
  const meta = baseMeta(options.base, folder, built, units, options, problems);
  const layers = LAYERS.filter((l) => imported.has(l));
  const candidate: DistrictGeometry = {
    meta,
    units,
    streets: (imported.has('streets') ? built.streets : (options.base?.streets ?? [])) as DistrictGeometry['streets'],
    communities: (imported.has('communities') ? built.communities : (options.base?.communities ?? [])) as DistrictGeometry['communities'],
    grids: (imported.has('grids') ? built.grids : (options.base?.grids ?? [])) as DistrictGeometry['grids'],
    roads: (imported.has('roads') ? built.roads : (options.base?.roads ?? [])) as DistrictGeometry['roads'],
    checkpoints: (imported.has('checkpoints') ? built.checkpoints : (options.base?.checkpoints ?? [])) as DistrictGeometry['checkpoints'],
  };

  // Owner units named by name or id; unknown names become new units.
  const newUnits = resolveOwners(owners, candidate.units);

  // Parents: by id, code or name, else the zone holding most of the area.
  progress('parents', 0, null);
  let parentsFound = 0;
  for (const layer of ['communities', 'grids'] as const) {
    const parents = candidate[PARENT_LAYER[layer]!] as unknown as BuiltFeature[];
    const finder = new ParentFinder(parents);
    for (const { feature, raw } of unresolvedParent[layer]) {
      const byKey = raw ? finder.byKey(raw) : null;
      if (byKey) {
        feature.properties.parentId = byKey;
        continue;
      }
      if (raw) {
        feature.properties.parentId = raw; // reported as dangling_parent by the check
        continue;
      }
      const found = finder.containing(feature.geometry);
      if (found) {
        feature.properties.parentId = found;
        parentsFound++;
      } else {
        feature.properties.parentId = '';
      }
    }
  }
  if (parentsFound > 0) {
    problems.push({
      code: 'parent_found',
      severity: 'info',
      layer: imported.has('grids') ? 'grids' : 'communities',
      featureId: '',
      message: `${parentsFound} parent${parentsFound === 1 ? '' : 's'} found spatially: each zone without a parent attribute belongs to the zone that contains most of its area`,
    });
  }

  // Property schemas (names, categories, phones…), with the file and feature they came from.
  for (const layer of layers) {
    const schema = PROPERTY_SCHEMAS[layer];
    for (const f of built[layer]) {
      const parsed = schema.safeParse(f.properties);
      if (parsed.success) continue;
      for (const issue of parsed.error.issues) {
        const key = issue.path.join('.');
        // Blank names and missing parents are reported by the reference check with better words.
        if (key === 'name' || key === 'parentId' || key === 'code') continue;
        add('invalid_property', {
          layer,
          featureId: f.id,
          ...origins.get(`${layer}:${f.id}`),
          message: `${LAYER_NOUN[layer]} ${f.id}: ${key || 'properties'}: ${issue.message}`,
        });
      }
    }
  }

  // The topology and reference check of the whole district as it would be stored.
  progress('checking', 0, null);
  const topology = checkDistrictTopology(candidate, options.topology);
  for (const p of topology) {
    if (!imported.has(p.layer as LayerName) && p.layer !== 'district' && p.layer !== 'units') continue;
    problems.push(fromTopology(p, origins));
  }
  problems.push(...sliverProblems(candidate, topology, layers, origins));
  if (options.base) problems.push(...shiftedCrsProblems(options.base, candidate, layers, summaries));
  progress('done', 1, 1);

  const sorted = sortImportProblems(problems);
  const errors = sorted.filter((p) => p.severity === 'error').length;
  const warnings = sorted.filter((p) => p.severity === 'warning').length;
  const repairsOffered: Record<string, number> = {};
  for (const p of sorted) if (p.repair) repairsOffered[p.repair] = (repairsOffered[p.repair] ?? 0) + 1;
  return {
    report: {
      valid: errors === 0 && layers.length > 0,
      errors: errors + (layers.length === 0 ? 1 : 0),
      warnings,
      sources: summaries,
      skipped: opened.skipped,
      counts: Object.fromEntries(layers.map((l) => [l, built[l].length])),
      newUnits: newUnits.map((u) => ({ id: u.id, name: u.name })),
      parentsFound,
      repairsApplied,
      repairsOffered,
      problems:
        layers.length === 0 && !sorted.some((p) => p.severity === 'error')
          ? [{ code: 'unreadable', severity: 'error', layer: 'district', featureId: '', message: 'no layer could be read from the files' }, ...sorted]
          : sorted,
    },
    district: candidate,
    layers,
  };
}

/**
 * Converted coordinates are rounded to 1e-9° (0.1 mm): a vertex that was 112.21 before a
 * projection round trip comes back as 112.21, not 112.21000000000002, so converted layers share
 * boundaries exactly with stored ones (and with each other) instead of leaving slivers of 10⁻¹⁴°
 * that clipping cannot measure.
 */
function snap(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

function layerFromGeometry(raw: SourceFeature[]): LayerName | null {
  const first = raw.find((f) => f.geometry && typeof f.geometry === 'object');
  const type = (first?.geometry as { type?: string } | undefined)?.type;
  if (type === 'Point' || type === 'MultiPoint') return 'checkpoints';
  if (type === 'LineString' || type === 'MultiLineString') return 'roads';
  return null;
}

function extentOf(features: readonly { geometry: unknown }[]): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    forEachPosition(f.geometry, (p) => {
      if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) return;
      if (p[0] < box[0]) box[0] = p[0];
      if (p[1] < box[1]) box[1] = p[1];
      if (p[0] > box[2]) box[2] = p[0];
      if (p[1] > box[3]) box[3] = p[1];
    });
  }
  return box;
}

/** China, generously, in degrees: where GCJ-02, BD-09 and CGCS2000 data lie. */
const CHINA = { lon: [73, 136], lat: [3, 54] };

/** Coordinates that cannot be in the chosen CRS: degrees for metres, metres for degrees, swapped axes. */
function checkExtentAgainstCrs(box: readonly number[], crs: ImportCrs): { code: 'suspect_crs' | 'swapped_coordinates'; message: string } | null {
  const [x0, y0, x1, y1] = box;
  if (!Number.isFinite(x0)) return null;
  const degrees = Math.abs(x0) <= 180 && Math.abs(x1) <= 180 && Math.abs(y0) <= 90 && Math.abs(y1) <= 90;
  const inChina = (lon0: number, lat0: number, lon1: number, lat1: number) =>
    lon0 >= CHINA.lon[0] && lon1 <= CHINA.lon[1] && lat0 >= CHINA.lat[0] && lat1 <= CHINA.lat[1];
  if (isProjected(crs)) {
    if (degrees) return { code: 'suspect_crs', message: `the coordinates are degrees (${x0.toFixed(4)}…${x1.toFixed(4)}), not the metres of ${crs.toUpperCase()}: choose WGS-84, GCJ-02, BD-09 or CGCS2000` };
    const guess = guessCrsFromExtent(box as [number, number, number, number]);
    if (guess.crs && guess.crs !== crs) return { code: 'suspect_crs', message: `the eastings carry a zone number: this looks like ${guess.crs.toUpperCase()}, not ${crs.toUpperCase()}` };
    return null;
  }
  if (!degrees) {
    if (Math.abs(y0) <= 180 && Math.abs(y1) <= 180 && Math.abs(x0) <= 90 && Math.abs(x1) <= 90) {
      return { code: 'swapped_coordinates', message: `the first coordinate stays within ±90 and the second goes past 90: longitude and latitude are swapped` };
    }
    const guess = guessCrsFromExtent(box as [number, number, number, number]);
    return {
      code: 'suspect_crs',
      message: `the coordinates are metres (x ${Math.round(x0)}…${Math.round(x1)}), not degrees of ${crs.toUpperCase()}: ${guess.crs ? `choose ${guess.crs.toUpperCase()}` : 'choose the CGCS2000 Gauss-Krüger zone'}`,
    };
  }
  if (!inChina(x0, y0, x1, y1) && inChina(y0, x0, y1, x1)) {
    return { code: 'swapped_coordinates', message: `the coordinates lie in China only with longitude and latitude swapped (first values ${x0.toFixed(4)}…${x1.toFixed(4)})` };
  }
  if ((crs === 'gcj02' || crs === 'bd09' || crs === 'cgcs2000') && !inChina(x0, y0, x1, y1)) {
    return { code: 'suspect_crs', message: `${crs.toUpperCase()} is used only in China, but the coordinates lie outside it` };
  }
  return null;
}

/** The properties of dutymap's own GeoJSON (the keys are already ours). */
function looksNative(fields: readonly string[]): boolean {
  return fields.includes('parentId') || fields.includes('ownerUnitId') || fields.includes('roadChief');
}

function nativeFeature(f: SourceFeature, layer: LayerName, geometry: unknown): BuiltFeature {
  const { version: _version, ...properties } = f.properties;
  const id = typeof f.id === 'string' && f.id ? f.id : textValue(properties.id) || textValue(properties.code) || `${ID_PREFIX[layer]}-${f.index + 1}`;
  return { type: 'Feature', id, geometry, properties };
}

function person(name: string, phone?: string, title?: string): AnyProps | null {
  if (!name) return null;
  return { name, ...(title ? { title } : {}), ...(phone ? { phone } : {}) };
}

/** Builds a dutymap feature from a file's attributes through the mapping. */
function mappedFeature(f: SourceFeature, layer: LayerName, geometry: unknown, mapping: FieldMapping, position: number): BuiltFeature {
  const get = (field: keyof FieldMapping) => (mapping[field] ? textValue(f.properties[mapping[field]!]) : '');
  const code = get('code');
  const explicitId = get('id');
  const ownId = typeof f.id === 'string' || typeof f.id === 'number' ? textValue(f.id) : '';
  const id = explicitId || ownId || code || `${ID_PREFIX[layer]}-${position + 1}`;
  const name = get('name');
  const properties: AnyProps = {};
  if (layer === 'roads') {
    if (code) properties.code = code;
    properties.name = name;
    const rawClass = get('category');
    properties.roadClass = roadClassOf(rawClass) ?? (rawClass || undefined);
    const chiefName = get('chief');
    const level = get('chiefLevel');
    properties.roadChief = {
      name: chiefName,
      ...(get('chiefTitle') ? { title: get('chiefTitle') } : {}),
      ...(get('chiefPhone') ? { phone: get('chiefPhone') } : {}),
      level: chiefLevelOf(level) ?? (level || 'street'),
    };
    properties.ownerUnitId = null;
    if (get('from')) properties.from = get('from');
    if (get('to')) properties.to = get('to');
  } else {
    properties.code = code;
    properties.name = name;
    if (layer === 'checkpoints') {
      const rawCategory = get('category');
      properties.category = checkpointCategoryOf(rawCategory) ?? rawCategory;
    } else {
      properties.parentId = layer === 'streets' ? null : '';
    }
    properties.ownerUnitId = null;
    const leader = person(get('leader'), get('leaderPhone'), get('leaderTitle'));
    if (leader) properties.leader = leader;
    if (layer === 'grids') {
      properties.gridLeader = person(get('gridLeader'), get('gridLeaderPhone'));
      properties.gridWorkers = parseWorkers(get('workers'));
    }
  }
  return { type: 'Feature', id, geometry, properties };
}

/** Grid workers as written in one attribute: JSON (dutymap's export) or "name phone; name phone". */
function parseWorkers(text: string): AnyProps[] {
  if (!text) return [];
  if (text.startsWith('[')) {
    try {
      const parsed = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed;
    } catch {
      /* fall through to the plain form */
    }
  }
  return text
    .split(/[;；、,，]/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^(.*?)\s*(\+?\d[\d -]{2,19})$/.exec(s);
      return m ? { name: m[1], phone: m[2] } : { name: s };
    });
}

const UNIT_KIND_WORDS: [RegExp, Unit['kind']][] = [
  [/创建办|创城办|文明办/, 'campaign_office'],
  [/街道办|街道办事处|镇政府|乡政府/, 'street_office'],
  [/社区|居委会|村委会/, 'community_committee'],
  [/学校|中学|小学|幼儿园|大学/, 'school'],
  [/医院|卫生院/, 'hospital'],
  [/公司|集团|物业/, 'enterprise'],
  [/市.*(局|委|办)/, 'municipal_department'],
  [/局|委|办|中心/, 'district_department'],
];

/** Sets ownerUnitId from an id or a name; creates units for names not known yet. Returns the new units. */
function resolveOwners(owners: { feature: BuiltFeature; raw: string }[], units: Unit[]): Unit[] {
  const byId = new Map(units.map((u) => [u.id, u.id]));
  const byName = new Map(units.map((u) => [u.name, u.id]));
  const created: Unit[] = [];
  let n = 0;
  for (const { feature, raw } of owners) {
    if (!raw) continue;
    let id = byId.get(raw) ?? byName.get(raw);
    if (!id) {
      do id = `u-import-${String(++n).padStart(3, '0')}`;
      while (byId.has(id));
      const unit: Unit = { id, name: raw, kind: UNIT_KIND_WORDS.find(([re]) => re.test(raw))?.[1] ?? 'other' };
      units.push(unit);
      created.push(unit);
      byId.set(id, id);
      byName.set(raw, id);
    }
    feature.properties.ownerUnitId = id;
  }
  return created;
}

function baseUnits(base: DistrictGeometry | null, folder: FolderExtras | null, problems: ImportProblem[]): Unit[] {
  if (folder?.units) {
    const parsed = UnitList.safeParse(folder.units);
    if (parsed.success) return parsed.data.map((u) => ({ ...u }));
    problems.push({
      code: 'unreadable',
      severity: 'error',
      layer: 'units',
      featureId: '',
      source: 'units.json',
      message: `units.json: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    });
  }
  return base ? base.units.map((u) => ({ ...u })) : [];
}

function baseMeta(
  base: DistrictGeometry | null,
  folder: FolderExtras | null,
  built: Record<LayerName, BuiltFeature[]>,
  units: Unit[],
  options: ImportOptions,
  problems: ImportProblem[],
): DistrictGeometry['meta'] {
  if (folder?.meta) {
    const parsed = DistrictMeta.safeParse(folder.meta);
    if (parsed.success) return parsed.data;
    problems.push({
      code: 'unreadable',
      severity: 'error',
      layer: 'district',
      featureId: '',
      source: 'district.json',
      message: `district.json: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    });
  }
  if (base) return base.meta;
  // A new district: its campaign office is created with it.
  let office = units.find((u) => u.kind === 'campaign_office');
  if (!office) {
    office = { id: 'office', name: '创建办', kind: 'campaign_office' };
    units.unshift(office);
  }
  const polygons = [...built.streets, ...built.communities, ...built.grids, ...built.roads, ...built.checkpoints];
  const box = extentOf(polygons);
  const centre: [number, number] = Number.isFinite(box[0]) ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : [0, 0];
  const today = options.today ?? '2026-01-01';
  const inNinetyDays = new Date(Date.parse(`${today}T00:00:00Z`) + 90 * 86400000).toISOString().slice(0, 10);
  return {
    name: options.newDistrict?.name ?? '导入的区县',
    code: options.newDistrict?.code ?? '000000',
    centre,
    inspectionDate: options.newDistrict?.inspectionDate ?? inNinetyDays,
    synthetic: false,
    officeUnitId: office.id,
    timeZone: 'Asia/Shanghai',
  };
}

function asFeature(g: AreaLike): Feature<Polygon | MultiPolygon> {
  return turfFeature(g as Polygon | MultiPolygon);
}

function fromTopology(p: TopologyProblem, origins: Map<string, Origin>): ImportProblem {
  const origin = origins.get(`${p.layer}:${p.featureId}`);
  const repair = REPAIR_FOR[p.code];
  return { ...p, ...(origin ? origin : {}), ...(repair ? { repair } : {}) };
}

/**
 * Slivers: zones thinner than a few metres on average (area ÷ half the perimeter), and overlaps
 * between siblings that are thin strips along a shared boundary — the usual result of two
 * boundaries digitised separately. Mean width = 2 · area ÷ perimeter.
 */
function sliverProblems(
  district: DistrictGeometry,
  topology: TopologyProblem[],
  layers: readonly LayerName[],
  origins: Map<string, Origin>,
): ImportProblem[] {
  const out: ImportProblem[] = [];
  const zoneLayers = ZONE_LAYERS.filter((l) => layers.includes(l));
  const invalid = new Set(topology.filter((p) => p.severity === 'error' && p.code !== 'overlap' && p.code !== 'gap' && p.code !== 'outside_parent').map((p) => `${p.layer}:${p.featureId}`));
  const byId = new Map<string, { geometry: AreaLike; name: string }>();
  for (const layer of zoneLayers) {
    for (const f of district[layer]) {
      byId.set(`${layer}:${f.id}`, { geometry: f.geometry as AreaLike, name: f.properties.name });
      if (invalid.has(`${layer}:${f.id}`)) continue;
      const width = meanWidth(f.geometry as AreaLike);
      if (width !== null && width < 5) {
        out.push({
          code: 'sliver',
          severity: 'warning',
          layer,
          featureId: f.id,
          ...origins.get(`${layer}:${f.id}`),
          location: interiorPoint(f.geometry as AreaLike) ?? undefined,
          message: `${LAYER_NOUN[layer]} ${f.id} (${f.properties.name}) is a sliver about ${width.toFixed(1)} m wide on average`,
        });
      }
    }
  }
  for (const p of topology) {
    if (p.code !== 'overlap' || !p.otherId || !zoneLayers.includes(p.layer as ZoneLayerName)) continue;
    const a = byId.get(`${p.layer}:${p.featureId}`);
    const b = byId.get(`${p.layer}:${p.otherId}`);
    if (!a || !b) continue;
    let cut: Feature<Polygon | MultiPolygon> | null = null;
    try {
      cut = intersect(featureCollection([asFeature(a.geometry), asFeature(b.geometry)]));
    } catch {
      cut = null;
    }
    if (!cut) continue;
    const width = meanWidth(cut.geometry);
    if (width === null || width >= 5) continue;
    out.push({
      code: 'sliver',
      severity: 'warning',
      layer: p.layer,
      featureId: p.featureId,
      otherId: p.otherId,
      areaM2: Math.round(area(cut) * 10) / 10,
      ...origins.get(`${p.layer}:${p.featureId}`),
      ...(p.location ? { location: p.location } : {}),
      message: `the overlap of ${LAYER_NOUN[p.layer]} ${p.featureId} and ${p.otherId} is a sliver of ${formatArea(area(cut))}, about ${width.toFixed(2)} m wide: the two boundaries were drawn separately; snap them together`,
    });
  }
  return out;
}

/**
 * 2 · area ÷ perimeter in metres (the width of a long strip); null when not measurable. The
 * perimeter is summed edge by edge on a local equirectangular scale (exact enough for telling a
 * sliver of a metre from a zone of a hundred).
 */
function meanWidth(geometry: AreaLike): number | null {
  try {
    const a = area(geometry);
    let perimeter = 0;
    for (const polygon of geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates) {
      for (const ring of polygon) {
        for (let i = 1; i < ring.length; i++) {
          const k = Math.cos((ring[i][1] * Math.PI) / 180);
          perimeter += Math.hypot((ring[i][0] - ring[i - 1][0]) * 111320 * k, (ring[i][1] - ring[i - 1][1]) * 110574);
        }
      }
    }
    return perimeter > 0 ? (2 * a) / perimeter : null;
  } catch {
    return null;
  }
}

/**
 * A layer that sits where the stored district would be if it were in GCJ-02 or BD-09: its centre
 * is off the stored layers' centre by about the offset those systems add there. Said as an error
 * (the data would land hundreds of metres off) with the CRS to choose.
 */
function shiftedCrsProblems(
  base: DistrictGeometry,
  candidate: DistrictGeometry,
  layers: readonly LayerName[],
  summaries: readonly ImportSourceSummary[],
): ImportProblem[] {
  const reference = base.streets.length ? base.streets : base.grids;
  if (reference.length === 0) return [];
  const ref = extentOf(reference);
  const out: ImportProblem[] = [];
  for (const layer of layers) {
    if (!(ZONE_LAYERS as readonly string[]).includes(layer)) continue;
    const summary = summaries.find((s) => s.layer === layer);
    if (!summary || (summary.crs !== 'wgs84' && summary.crs !== 'cgcs2000')) continue;
    const box = extentOf(candidate[layer]);
    if (!Number.isFinite(box[0])) continue;
    const cx = (box[0] + box[2]) / 2;
    const cy = (box[1] + box[3]) / 2;
    const dx = cx - (ref[0] + ref[2]) / 2;
    const dy = cy - (ref[1] + ref[3]) / 2;
    for (const crs of ['gcj02', 'bd09'] as const) {
      const [ox, oy] = fromWgs84(cx, cy, crs);
      const ex = ox - cx;
      const ey = oy - cy;
      const offset = Math.hypot(ex, ey);
      if (offset > 0 && Math.hypot(dx - ex, dy - ey) < 0.25 * offset) {
        const metres = Math.round(Math.hypot(dx * 111320 * Math.cos((cy * Math.PI) / 180), dy * 110540));
        out.push({
          code: 'suspect_crs',
          severity: 'error',
          layer,
          featureId: '',
          source: summary.name,
          message: `${summary.name} lies about ${metres} m off the stored district, by the offset ${crs.toUpperCase()} adds here: it is probably in ${crs.toUpperCase()}, not ${summary.crs.toUpperCase()} — choose ${crs}`,
        });
        break;
      }
    }
  }
  return out;
}
