import { ParentFinder } from '../district/parent-finder';
import { formatArea, formatLocation } from '../topology/topology-problem';
import { dissolveParents, groupForDissolve, provisionalChildren, unitForZone } from './district-levels';
import { excludedCandidates, makeOutline } from './district-extent';
import { applyRoster } from './roster-join';
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
 * notes (info) for what the plan made up: parents found spatially or by code, zones dissolved or
 * made provisional, units created from names, the outline made from the streets, excluded areas
 * (warnings: they wait for a name and a managing unit). Reports 'parents' progress.
 */
export function planDistrict(run: ImportRun, folder: FolderExtras | null, imported: ImportedLayers): DistrictPlan {
  const base = run.options.base;
  const built = Object.fromEntries(LAYERS.map((l) => [l, imported.features[l].map((f) => f.feature)])) as Record<LayerName, BuiltFeature[]>;
  const units = baseUnits(base, folder, run.problems);
  const meta = baseMeta(run, folder, built, units);
  const changed = new Set<LayerName>(LAYERS.filter((l) => imported.layers.has(l)));
  // Unchecked until the district check: see DistrictPlan.district.
  const layer = <L extends LayerName>(l: L) => (imported.layers.has(l) ? built[l] : (base?.[l] ?? [])) as NonNullable<DistrictGeometry[L]>;
  const district: DistrictGeometry = {
    meta,
    units,
    streets: layer('streets'),
    communities: layer('communities'),
    grids: layer('grids'),
    roads: layer('roads'),
    checkpoints: layer('checkpoints'),
    excluded: layer('excluded'),
    outline: layer('outline'),
  };
  const newUnits = resolveOwners(imported.inFileOrder, district.units);
  const roster = applyRoster(run, district, imported.roster);
  if (roster.changed) changed.add('roads');
  newUnits.push(...roster.newUnits);
  run.progress('parents', 0, null);
  dissolveMissingLevels(run, district, imported, changed);
  const { spatially, byCode } = resolveParents(district, imported);
  if (spatially > 0) {
    run.problems.push({
      code: 'parent_found',
      severity: 'info',
      layer: imported.layers.has('grids') ? 'grids' : 'communities',
      featureId: '',
      message: run.say(
        `${spatially} 个要素按空间位置找到上级：没有上级属性的区域归入包含其大部分面积的上级区域`,
        `${spatially} parent${spatially === 1 ? '' : 's'} found spatially: each zone without a parent attribute belongs to the zone that contains most of its area`,
      ),
    });
  }
  if (byCode > 0) {
    run.problems.push({
      code: 'parent_by_code',
      severity: 'info',
      layer: imported.layers.has('grids') ? 'grids' : 'communities',
      featureId: '',
      message: run.say(`${byCode} 个要素按编码前缀找到上级（如社区编码以街道编码开头）`, `${byCode} parent${byCode === 1 ? '' : 's'} found by code prefix (a community's code starts with its street's)`),
    });
  }
  // A district folder is complete as it is; files of a district starting out are made whole.
  if (!folder) {
    newUnits.push(...unitsFromNames(run, district, changed, true));
    makeProvisional(run, district, changed);
    makeExtent(run, district, imported, changed);
  }
  // A district without excluded areas or outline has no such keys (a folder without those files).
  for (const optional of ['excluded', 'outline'] as const) if (!district[optional]?.length && !changed.has(optional)) delete district[optional];
  const parentsFound = spatially + byCode;
  return { district, layers: LAYERS.filter((l) => changed.has(l)), newUnits, parentsFound };
}

/**
 * Streets or communities that no file gave and the stored district lacks, dissolved from the
 * level below (by the parent their files name, else by code prefix; see district-levels.ts).
 */
function dissolveMissingLevels(run: ImportRun, district: DistrictGeometry, imported: ImportedLayers, changed: Set<LayerName>): void {
  const steps = [
    { parent: 'communities', child: 'grids', prefix: 12, idPrefix: 'c-' },
    { parent: 'streets', child: 'communities', prefix: 9, idPrefix: 's-' },
  ] as const;
  for (const step of steps) {
    if (district[step.parent].length > 0 || district[step.child].length === 0) continue;
    const children = imported.features[step.child].length
      ? imported.features[step.child]
      : (district[step.child] as unknown as BuiltFeature[]).map((feature) => ({ feature, parentKey: String(feature.properties.parentId ?? '') }));
    const groups = groupForDissolve(children, step.prefix) ?? [{ key: '全区', by: 'parent' as const, members: children.map((c) => c.feature) }];
    const parents = dissolveParents(groups, step.parent, step.idPrefix);
    (district[step.parent] as unknown as BuiltFeature[]) = parents;
    // The children now name their parent by id: nothing left for the parent stage to resolve.
    for (const c of imported.features[step.child]) c.parentKey = String(c.feature.properties.parentId);
    changed.add(step.parent).add(step.child);
    run.problems.push({
      code: 'dissolved_zones',
      severity: 'info',
      layer: step.parent,
      featureId: '',
      message: run.say(
        `由${step.child === 'grids' ? '网格' : '社区'}合并出 ${parents.length} 个${step.parent === 'streets' ? '街道' : '社区'}（${groups[0].by === 'code' ? '按编码前缀' : '按文件中的上级名称'}）`,
        `${parents.length} ${step.parent} dissolved from the ${step.child} (${groups[0].by === 'code' ? 'by code prefix' : 'by the parent the files name'})`,
      ),
    });
  }
}

/**
 * Streets with no community and communities with no grid get one provisional child each, the
 * shape of the parent, owned by its unit: the district works at once, and planners refine it.
 */
function makeProvisional(run: ImportRun, district: DistrictGeometry, changed: Set<LayerName>): void {
  for (const [parentLayer, childLayer] of [['streets', 'communities'], ['communities', 'grids']] as const) {
    const withChildren = new Set((district[childLayer] as { properties: { parentId: string } }[]).map((f) => f.properties.parentId));
    const lonely = (district[parentLayer] as unknown as BuiltFeature[]).filter((p) => !withChildren.has(p.id) && isArea(p.geometry));
    if (lonely.length === 0) continue;
    const made = provisionalChildren(lonely, childLayer);
    (district[childLayer] as unknown as BuiltFeature[]) = [...(district[childLayer] as unknown as BuiltFeature[]), ...made];
    changed.add(childLayer);
    run.problems.push({
      code: 'provisional_zones',
      severity: 'info',
      layer: childLayer,
      featureId: '',
      message: run.say(
        `${made.length} 个${parentLayer === 'streets' ? '街道没有社区' : '社区没有网格'}：各建一个与其同形的待细化${childLayer === 'communities' ? '社区' : '网格'}（地图上以斜线标出），请在规划页细化`,
        `${made.length} ${parentLayer} had no ${childLayer}: each got one provisional ${childLayer === 'communities' ? 'community' : 'grid'} of its own shape (hatched on the map), to be refined in /plan`,
      ),
    });
  }
}

/**
 * Street offices and community committees for zones that have no owner unit, from the zones'
 * names (an existing unit of that name is used). Only when no unit list came with the files.
 */
function unitsFromNames(run: ImportRun, district: DistrictGeometry, changed: Set<LayerName>, noUnitList: boolean): Unit[] {
  if (!noUnitList) return [];
  const byName = new Map(district.units.map((u) => [u.name, u.id]));
  const ids = new Set(district.units.map((u) => u.id));
  const created: Unit[] = [];
  for (const layer of ['streets', 'communities'] as const) {
    if (!changed.has(layer)) continue;
    for (const zone of district[layer] as unknown as BuiltFeature[]) {
      if (zone.properties.ownerUnitId || zone.properties.provisional) continue;
      const zoneName = typeof zone.properties.name === 'string' ? zone.properties.name.trim() : '';
      if (!zoneName) continue;
      const wanted = unitForZone(layer, zoneName);
      let id = byName.get(wanted.name);
      if (!id) {
        const stem = `u-${layer === 'streets' ? 'st' : 'cm'}-${zone.id.replace(/[^A-Za-z0-9_-]/g, '')}`;
        id = stem;
        for (let n = 2; ids.has(id); n++) id = `${stem}-${n}`;
        const unit: Unit = { id, name: wanted.name, kind: wanted.kind };
        district.units.push(unit);
        created.push(unit);
        ids.add(id);
        byName.set(unit.name, id);
      }
      zone.properties.ownerUnitId = id;
    }
  }
  if (created.length > 0) {
    run.problems.push({
      code: 'units_created',
      severity: 'info',
      layer: 'units',
      featureId: '',
      message: run.say(
        `按区域名称建立了 ${created.length} 个责任单位（如“${created[0].name}”），之后可在规划页修改`,
        `${created.length} units created from the zones' names (e.g. "${created[0].name}"); they can be edited afterwards`,
      ),
    });
  }
  return created;
}

/**
 * The outline (the file's, else the streets' union) and, when no excluded areas came with the
 * files or the stored district, the excluded-area candidates: what of the outline no street
 * covers, when large and wide enough to be real.
 */
function makeExtent(run: ImportRun, district: DistrictGeometry, imported: ImportedLayers, changed: Set<LayerName>): void {
  const streets = district.streets as unknown as BuiltFeature[];
  if (streets.length === 0) return;
  const outlineGiven = imported.features.outline.map((f) => f.feature);
  // The outline follows new streets in a new district, or where it was made from the streets before;
  // a stored district that has none (made before outlines existed) keeps having none unless given one.
  const base = run.options.base;
  const rebuild = outlineGiven.length > 0 || (changed.has('streets') && (!base || base.outline?.[0]?.properties.source === 'streets'));
  if (rebuild) {
    const outline = makeOutline(streets, outlineGiven, district.meta.name);
    if (!outline) return;
    district.outline = [outline as unknown as NonNullable<DistrictGeometry['outline']>[number]];
    changed.add('outline');
    if (outlineGiven.length === 0) {
      run.problems.push({
        code: 'outline_made',
        severity: 'info',
        layer: 'outline',
        featureId: 'outline',
        message: run.say('没有区界文件：区界取各街道的外轮廓（街道围合的空洞算在区内）', "no outline file: the district's outline is the streets' outer edge (holes they enclose are inside the district)"),
      });
    }
  }
  if (imported.layers.has('excluded') || (district.excluded?.length ?? 0) > 0 || !rebuild) return;
  const candidates = excludedCandidates(district.outline![0] as unknown as BuiltFeature, streets, run.options.clean);
  if (candidates.length === 0) return;
  district.excluded = candidates.map((c) => c.feature) as unknown as DistrictGeometry['excluded'];
  changed.add('excluded');
  for (const c of candidates) {
    run.problems.push({
      code: 'excluded_created',
      severity: 'warning',
      layer: 'excluded',
      featureId: c.feature.id,
      areaM2: Math.round(c.areaM2 * 10) / 10,
      location: c.location,
      message: run.say(
        `区内有 ${formatArea(c.areaM2)}（平均宽 ${c.widthM.toFixed(1)} 米）不属任何街道，已作为排除区域“${String(c.feature.properties.name)}”：请在规划页写明名称和管理单位（如水域归海事处），或并入街道；位置 ${formatLocation(c.location)}`,
        `${formatArea(c.areaM2)} inside the district (${c.widthM.toFixed(1)} m wide on average) belong to no street and became the excluded area "${String(c.feature.properties.name)}": name it and give its managing unit in /plan (e.g. a river managed by the maritime office), or give it to a street; near ${formatLocation(c.location)}`,
      ),
    });
  }
}

function isArea(g: unknown): boolean {
  const t = (g as { type?: unknown } | null)?.type;
  return t === 'Polygon' || t === 'MultiPolygon';
}

/**
 * Sets each community's and grid's parentId: the zone of the layer above (as it will be stored)
 * that the file's parent value names by id, code or name; a value that names none is kept as
 * written (the reference check reports it as dangling_parent); no value: the zone whose code is
 * the longest prefix of the zone's code (statistical and unit-grid codes nest), else the zone
 * holding most of the area, else ''. Returns how many were found spatially and by code.
 */
function resolveParents(district: DistrictGeometry, imported: ImportedLayers): { spatially: number; byCode: number } {
  let spatially = 0;
  let byCode = 0;
  for (const layer of ['communities', 'grids'] as const) {
    const parents = district[PARENT_LAYER[layer]!];
    const finder = new ParentFinder(parents);
    const prefixes = parents
      .map((p) => ({ id: p.id, prefix: codePrefix(String(p.properties.code ?? '')) }))
      .filter((p) => p.prefix.length >= 6)
      .sort((a, b) => b.prefix.length - a.prefix.length);
    for (const { feature, parentKey } of imported.features[layer]) {
      const key = parentKey ?? '';
      const byKey = key ? finder.byKey(key) : null;
      if (byKey) feature.properties.parentId = byKey;
      else if (key) feature.properties.parentId = key;
      else {
        const code = String(feature.properties.code ?? '');
        const prefixed = /^\d+$/.test(code) ? prefixes.find((p) => code.length > p.prefix.length && code.startsWith(p.prefix)) : undefined;
        if (prefixed) {
          feature.properties.parentId = prefixed.id;
          byCode++;
          continue;
        }
        const containing = finder.containing(feature.geometry);
        if (containing) spatially++;
        feature.properties.parentId = containing ?? '';
      }
    }
  }
  return { spatially, byCode };
}

/** The significant part of a code of digits: a 12-digit statistical code without its trailing 000 groups. */
function codePrefix(code: string): string {
  if (!/^\d+$/.test(code)) return '';
  let c = code;
  while (c.length > 6 && c.endsWith('000')) c = c.slice(0, -3);
  return c;
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
    // An excluded area names its managing unit; every other feature its owner.
    if ('managingUnitId' in feature.properties) feature.properties.managingUnitId = id;
    else feature.properties.ownerUnitId = id;
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
  const name = newDistrict?.name ?? run.hints.districtName ?? '导入的区县';
  // A new district: its campaign office is created with it.
  let office = units.find((u) => u.kind === 'campaign_office');
  if (!office) {
    office = { id: 'office', name: name === '导入的区县' ? '创建办' : `${name}创建办`, kind: 'campaign_office' };
    units.unshift(office);
  }
  let code = newDistrict?.code;
  if (!code) {
    // Statistical and unit-grid codes of zones start with the district's 6-digit code (GB/T 2260).
    const codes = [...built.streets, ...built.communities, ...built.grids].map((f) => String(f.properties.code ?? '')).filter((c) => /^\d{9,}$/.test(c));
    const prefixes = new Set(codes.map((c) => c.slice(0, 6)));
    if (codes.length > 0 && prefixes.size === 1) {
      code = [...prefixes][0];
      run.problems.push({
        code: 'district_code_guessed',
        severity: 'info',
        layer: 'district',
        featureId: code,
        message: run.say(`区县代码取自区域编码的前 6 位：${code}`, `the district code ${code} was read from the zones' codes (their first 6 digits)`),
      });
    }
  }
  const box = extentOf(LAYERS.flatMap((l) => built[l]));
  const centre: [number, number] = Number.isFinite(box[0]) ? [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2] : [0, 0];
  const inNinetyDays = new Date(Date.parse(`${today}T00:00:00Z`) + 90 * 86400000).toISOString().slice(0, 10);
  return {
    name,
    code: code ?? '000000',
    centre,
    inspectionDate: newDistrict?.inspectionDate ?? inNinetyDays,
    synthetic: false,
    officeUnitId: office.id,
    timeZone: 'Asia/Shanghai',
  };
}
