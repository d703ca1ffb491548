import { ParentFinder } from '../district/parent-finder';
import { DistrictMeta, LAYERS, UnitList, type DistrictGeometry, type LayerName, type Unit } from '../district/district-schema';
import { PARENT_LAYER } from '../topology/reference-check';
import { extentOf } from './import-extent';
import type { ImportProblem } from './import-report';
import type { ImportRun } from './import-run';
import type { FolderExtras } from './import-source';
import type { BuiltFeature, ImportedFeature, ImportedLayers } from './import-types';

/**
 * Stage 7, plan: the district as it would be stored. The imported layers replace the stored ones
 * (the others are kept); units and meta come from the district folder's files, else the stored
 * district, else a new district is made up; owner units named by the files are found or created;
 * each community and grid gets its parent, by the id, code or name its file gives, else the zone
 * of the layer above that holds most of its area.
 */

/** What the import would store, and what the report says about how it got there. */
export interface DistrictPlan {
  /**
   * The district as it would be stored. The imported layers' features are as built, not yet
   * checked against the schema: the district check says what does not fit, and nothing is stored
   * while it reports an error.
   */
  district: DistrictGeometry;
  /** The layers the import replaces, in LAYERS order. */
  layers: LayerName[];
  /** Units the owner attributes named that did not exist: created with the import. */
  newUnits: Unit[];
  /** Communities and grids whose parent was found spatially. */
  parentsFound: number;
}

/**
 * In: every imported feature, per layer (after repair), the district folder's district.json and
 * units.json if the files were one, and the stored district (`run.options.base`). Out: the plan.
 * Adds `unreadable` problems for a district.json or units.json that does not fit its schema, and
 * one `parent_found` note counting the parents found spatially. Reports 'parents' progress.
 */
export function planDistrict(run: ImportRun, folder: FolderExtras | null, imported: ImportedLayers): DistrictPlan {
  const base = run.options.base;
  const built = Object.fromEntries(LAYERS.map((l) => [l, imported.features[l].map((f) => f.feature)])) as Record<LayerName, BuiltFeature[]>;
  const units = baseUnits(base, folder, run.problems);
  const meta = baseMeta(run, folder, built, units);
  const layers = LAYERS.filter((l) => imported.layers.has(l));
  // Unchecked until the district check: see DistrictPlan.district.
  const layer = <L extends LayerName>(l: L) => (imported.layers.has(l) ? built[l] : (base?.[l] ?? [])) as DistrictGeometry[L];
  const district: DistrictGeometry = {
    meta,
    units,
    streets: layer('streets'),
    communities: layer('communities'),
    grids: layer('grids'),
    roads: layer('roads'),
    checkpoints: layer('checkpoints'),
  };
  const newUnits = resolveOwners(imported.inFileOrder, district.units);
  run.progress('parents', 0, null);
  const parentsFound = resolveParents(district, imported);
  if (parentsFound > 0) {
    run.problems.push({
      code: 'parent_found',
      severity: 'info',
      layer: imported.layers.has('grids') ? 'grids' : 'communities',
      featureId: '',
      message: `${parentsFound} parent${parentsFound === 1 ? '' : 's'} found spatially: each zone without a parent attribute belongs to the zone that contains most of its area`,
    });
  }
  return { district, layers, newUnits, parentsFound };
}

/**
 * Sets each community's and grid's parentId: the zone of the layer above (as it will be stored)
 * that the file's parent value names by id, code or name; a value that names none is kept as
 * written (the reference check reports it as dangling_parent); no value: the zone holding most of
 * the area, else ''. Returns how many were found spatially.
 */
function resolveParents(district: DistrictGeometry, imported: ImportedLayers): number {
  let found = 0;
  for (const layer of ['communities', 'grids'] as const) {
    const finder = new ParentFinder(district[PARENT_LAYER[layer]!]);
    for (const { feature, parentKey } of imported.features[layer]) {
      const key = parentKey ?? '';
      const byKey = key ? finder.byKey(key) : null;
      if (byKey) feature.properties.parentId = byKey;
      else if (key) feature.properties.parentId = key;
      else {
        const containing = finder.containing(feature.geometry);
        if (containing) found++;
        feature.properties.parentId = containing ?? '';
      }
    }
  }
  return found;
}

/** Units named in an owner attribute get a kind from the words of their name (else 'other'). */
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

/**
 * Sets ownerUnitId from the owner the file names, by unit id or name; a name not known yet becomes
 * a new unit (`u-import-001`, … in the order first named), added to `units`. Returns the new units.
 */
function resolveOwners(features: readonly ImportedFeature[], units: Unit[]): Unit[] {
  const byId = new Map(units.map((u) => [u.id, u.id]));
  const byName = new Map(units.map((u) => [u.name, u.id]));
  const created: Unit[] = [];
  let n = 0;
  for (const { feature, ownerKey } of features) {
    if (!ownerKey) continue;
    let id = byId.get(ownerKey) ?? byName.get(ownerKey);
    if (!id) {
      do id = `u-import-${String(++n).padStart(3, '0')}`;
      while (byId.has(id));
      const unit: Unit = { id, name: ownerKey, kind: UNIT_KIND_WORDS.find(([re]) => re.test(ownerKey))?.[1] ?? 'other' };
      units.push(unit);
      created.push(unit);
      byId.set(id, id);
      byName.set(ownerKey, id);
    }
    feature.properties.ownerUnitId = id;
  }
  return created;
}

/** The units the district will have: the folder's units.json, else the stored units (copies), else none. */
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

/**
 * The district's meta: the folder's district.json, else the stored one, else a new district's
 * (named by `newDistrict`, centred on the imported features, inspected 90 days after `today`,
 * with a campaign office unit added to `units` when there is none).
 */
function baseMeta(run: ImportRun, folder: FolderExtras | null, built: Record<LayerName, BuiltFeature[]>, units: Unit[]): DistrictGeometry['meta'] {
  const { base, newDistrict, today = '2026-01-01' } = run.options;
  if (folder?.meta) {
    const parsed = DistrictMeta.safeParse(folder.meta);
    if (parsed.success) return parsed.data;
    run.problems.push({
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
  const box = extentOf(LAYERS.flatMap((l) => built[l]));
  const centre: [number, number] = Number.isFinite(box[0]) ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : [0, 0];
  const inNinetyDays = new Date(Date.parse(`${today}T00:00:00Z`) + 90 * 86400000).toISOString().slice(0, 10);
  return {
    name: newDistrict?.name ?? '导入的区县',
    code: newDistrict?.code ?? '000000',
    centre,
    inspectionDate: newDistrict?.inspectionDate ?? inNinetyDays,
    synthetic: false,
    officeUnitId: office.id,
    timeZone: 'Asia/Shanghai',
  };
}
