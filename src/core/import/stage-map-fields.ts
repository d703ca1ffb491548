import type { LayerName } from '../district/district-schema';
import { textValue } from '../formats/property-value';
import type { SourceFeature } from '../formats/source-feature';
import { LAYER_NOUN } from '../topology/topology-problem';
import { checkpointCategoryOf, chiefLevelOf, excludedKindOf, guessFieldMapping, roadClassOf, splitSegment, type FieldMapping, type GuessedMapping } from './field-mapping';
import { addProblem, type ImportRun } from './import-run';
import type { ImportSource } from './import-source';
import type { BuiltFeature, ImportedFeature } from './import-types';

/**
 * Stage 3, map fields: a file's attributes become dutymap properties. dutymap's own files (a
 * district folder, or GeoJSON whose keys are already ours) are taken as they are; any other file
 * goes through a field mapping (field-mapping.ts), guessed from its attribute names unless chosen.
 */

/**
 * The mapping a file is read with: none for a district folder, else the guess (from the attribute
 * names and the first features' values) with `chosen` over it, and why each field was guessed.
 */
export function mappingOf(source: ImportSource, layer: LayerName, chosen: FieldMapping | undefined, samples: readonly SourceFeature[] = []): GuessedMapping {
  if (source.format === 'district-folder') return { mapping: {}, reasons: {} };
  return guessFieldMapping(source.fields, layer, chosen, samples.slice(0, 50).map((f) => f.properties));
}

/**
 * In: the features of one file as read (geometry untouched) and its mapping. Out: one imported
 * feature each, in file order, with its id, properties, origin, and the parent and owner as the
 * file names them (resolved later by the plan stage). `before` is how many features of the layer
 * earlier files gave (an id made up from the position counts on from them).
 *
 * Reports blank ids (`missing_id`, the feature gets the placeholder id `#file:n`) and codes
 * (`missing_code`), and when no attribute is mapped to the code at all, uses the ids as codes
 * (`codes_generated`). The entries of `features` are released (set to null) as they are mapped,
 * so a large file is held once, not twice.
 */
export function mapFields(
  run: ImportRun,
  source: ImportSource,
  features: (SourceFeature | null)[],
  layer: LayerName,
  mapping: FieldMapping,
  before: number,
): ImportedFeature[] {
  const native = source.format === 'district-folder' || looksNative(source.fields);
  const noCodeAttribute = !native && !mapping.code && layer !== 'roads';
  if (noCodeAttribute) {
    addProblem(run, 'codes_generated', {
      layer,
      featureId: '',
      source: source.name,
      message: run.say(`${source.name}：没有编码属性，以编号作为编码（可用 --map code=属性名 指定）`, `${source.name}: no attribute is mapped to the code; the ids are used as codes (map one with --map code=ATTR)`),
    });
  }
  const out: ImportedFeature[] = [];
  for (let k = 0; k < features.length; k++) {
    const f = features[k]!;
    features[k] = null;
    const origin = { source: source.name, feature: f.index + 1 };
    const feature = native ? nativeFeature(f, layer) : mappedFeature(f, layer, mapping, before + out.length);
    if (!native && mapping.id && textValue(f.properties[mapping.id]) === '') {
      feature.id = `#${source.name}:${f.index + 1}`;
      addProblem(run, 'missing_id', {
        layer,
        featureId: feature.id,
        ...origin,
        message: run.say(`${source.name} 第 ${f.index + 1} 个要素的 ${mapping.id} 为空；每个要素都要有编号`, `${LAYER_NOUN[layer]} number ${f.index + 1} of ${source.name} has a blank ${mapping.id}; every feature needs an id`),
      });
    }
    if (!native && mapping.code && layer !== 'roads' && textValue(f.properties[mapping.code]) === '') {
      addProblem(run, 'missing_code', {
        layer,
        featureId: feature.id,
        ...origin,
        message: run.say(`${source.name} 第 ${f.index + 1} 个要素（${feature.id}）的 ${mapping.code} 为空；区域和点位都要有编码`, `${LAYER_NOUN[layer]} ${feature.id} (number ${f.index + 1} of ${source.name}) has a blank ${mapping.code}; zones and checkpoints need a code`),
      });
    }
    if (noCodeAttribute && !feature.properties.code) feature.properties.code = feature.id;
    // No name attribute: the file's name names its feature (one street per file), numbered when it holds several.
    if (!native && !mapping.name && layer !== 'outline' && !textValue(feature.properties.name)) {
      const base = fileBaseName(source.name);
      feature.properties.name = features.length === 1 ? base : `${base} ${f.index + 1}`;
    }
    const imported: ImportedFeature = { feature, origin };
    if (layer === 'communities' || layer === 'grids') {
      imported.parentKey = !native && mapping.parent ? textValue(f.properties[mapping.parent]) : textValue(feature.properties.parentId);
    }
    if (!native && mapping.owner) imported.ownerKey = textValue(f.properties[mapping.owner]);
    out.push(imported);
  }
  return out;
}

const ID_PREFIX: Record<LayerName, string> = { streets: 's', communities: 'c', grids: 'g', roads: 'r', checkpoints: 'cp', excluded: 'x', outline: 'outline' };

/** The properties of dutymap's own GeoJSON (the keys are already ours). */
function looksNative(fields: readonly string[]): boolean {
  return fields.includes('parentId') || fields.includes('ownerUnitId') || fields.includes('roadChief');
}

/** A feature of dutymap's own files: its properties as they are, without the stored version. */
function nativeFeature(f: SourceFeature, layer: LayerName): BuiltFeature {
  const { version: _version, ...properties } = f.properties;
  const id = typeof f.id === 'string' && f.id ? f.id : textValue(properties.id) || textValue(properties.code) || `${ID_PREFIX[layer]}-${f.index + 1}`;
  return { type: 'Feature', id, geometry: f.geometry, properties };
}

function person(name: string, phone?: string, title?: string): Record<string, unknown> | null {
  if (!name) return null;
  return { name, ...(title ? { title } : {}), ...(phone ? { phone } : {}) };
}

/**
 * Builds a dutymap feature from a file's attributes through the mapping. The id is the mapped id,
 * else the feature's own id, else the code, else one made up from the layer and `position`.
 */
function mappedFeature(f: SourceFeature, layer: LayerName, mapping: FieldMapping, position: number): BuiltFeature {
  const get = (field: keyof FieldMapping) => (mapping[field] ? textValue(f.properties[mapping[field]]) : '');
  const code = get('code');
  const explicitId = get('id');
  const ownId = typeof f.id === 'string' || typeof f.id === 'number' ? textValue(f.id) : '';
  const id = explicitId || ownId || code || `${ID_PREFIX[layer]}-${position + 1}`;
  const name = get('name');
  const properties: Record<string, unknown> = {};
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
    const [from, to] = get('segment') ? splitSegment(get('segment')) : [get('from'), get('to')];
    if (from) properties.from = from;
    if (to) properties.to = to;
  } else if (layer === 'outline') {
    properties.name = name || '区界';
    properties.source = 'file';
  } else if (layer === 'excluded') {
    properties.code = code || id;
    properties.name = name;
    properties.kind = excludedKindOf(get('category')) ?? 'other';
    properties.managingUnitId = null;
    if (get('reason')) properties.reason = get('reason');
  } else {
    properties.code = code;
    properties.name = name;
    if (layer === 'checkpoints') {
      const rawCategory = get('category');
      properties.category = checkpointCategoryOf(rawCategory) ?? rawCategory;
      if (get('address')) properties.address = get('address');
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
  return { type: 'Feature', id, geometry: f.geometry, properties };
}

/** Grid workers as written in one attribute: JSON (dutymap's export) or "name phone; name phone". */
function parseWorkers(text: string): Record<string, unknown>[] {
  if (!text) return [];
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed as Record<string, unknown>[];
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

/** A file's name without folders and extension ("taiyilu" of "streets/taiyilu.geojson"). */
function fileBaseName(name: string): string {
  const file = name.split(/[\\/]/).pop() ?? name;
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
}

/** Attributes that name the district (区县) in street files (碑林区 in 区县名): a new district's default name. */
const DISTRICT_NAME_FIELDS = ['区县名', '区县', '县', '县名', '区名', 'county', 'district'];

/** Notes the district's name when a file's features all name the same 区/县 (for a new district's default name). */
export function noteDistrictName(run: ImportRun, source: ImportSource, features: readonly SourceFeature[]): void {
  if (run.hints.districtName || features.length === 0) return;
  const field = source.fields.find((f) => DISTRICT_NAME_FIELDS.includes(f.toLowerCase()));
  if (!field) return;
  const values = new Set(features.slice(0, 200).map((f) => textValue(f.properties[field])));
  const [only] = values;
  if (values.size === 1 && only && /(区|县|市|旗)$/.test(only)) run.hints.districtName = only;
}
