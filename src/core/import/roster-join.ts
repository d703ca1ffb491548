import { textValue } from '../formats/property-value';
import type { DistrictGeometry, RoadFeature, Unit } from '../district/district-schema';
import { chiefLevelOf, splitSegment, type FieldMapping } from './field-mapping';
import type { ImportRun } from './import-run';

/**
 * A road-chief roster (路长制公示: 道路名称, 起止点, 路长, 职务, 级别, 责任单位, 联系电话 …, kept in
 * Excel) joined to the road lines by name: each row sets the road chief, the owner unit and the
 * segment of the roads of that name — of the one segment whose from/to match, when the row names
 * a segment and the roads have them, else of every road of that name. Rows that match no road are
 * reported with their row number, so the office can fix the name.
 */

/** One row of a roster, as read with the file's mapping. */
export interface RosterRow {
  source: string;
  /** 1-based row number below the header. */
  row: number;
  properties: Record<string, unknown>;
  mapping: FieldMapping;
}

/**
 * Applies the rows to the district's roads (copied, never changed in place). Owner units are
 * found by name, else created (returned). Returns whether any road changed.
 */
export function applyRoster(run: ImportRun, district: DistrictGeometry, rows: readonly RosterRow[]): { changed: boolean; newUnits: Unit[] } {
  if (rows.length === 0) return { changed: false, newUnits: [] };
  const roads = district.roads.map((r) => ({ ...r, properties: { ...r.properties, roadChief: { ...r.properties.roadChief } } }));
  const byName = new Map<string, RoadFeature[]>();
  for (const road of roads) {
    const key = normalise(road.properties.name);
    byName.set(key, [...(byName.get(key) ?? []), road]);
  }
  const unitsByName = new Map(district.units.map((u) => [u.name, u.id]));
  const newUnits: Unit[] = [];
  let matchedRows = 0;
  let matchedRoads = 0;
  for (const row of rows) {
    const get = (field: keyof FieldMapping) => (row.mapping[field] ? textValue(row.properties[row.mapping[field]]) : '');
    const name = get('name');
    const [from, to] = get('segment') ? splitSegment(get('segment')) : [get('from'), get('to')];
    const candidates = byName.get(normalise(name)) ?? [];
    const bySegment = candidates.filter((r) => from && normalise(r.properties.from ?? '') === normalise(from) && (!to || normalise(r.properties.to ?? '') === normalise(to)));
    const targets = bySegment.length > 0 ? bySegment : candidates;
    if (targets.length === 0) {
      run.problems.push({
        code: 'roster_unmatched',
        severity: 'warning',
        layer: 'roads',
        featureId: '',
        source: row.source,
        feature: row.row,
        message: run.say(
          `${row.source} 第 ${row.row} 行：没有名为“${name || '（空）'}”的道路${get('segment') ? `（${get('segment')}）` : ''}，这一行的路长没有导入；请核对道路名称`,
          `${row.source} row ${row.row}: no road is named "${name || '(blank)'}"${get('segment') ? ` (${get('segment')})` : ''}, so its road chief was not imported; check the road's name`,
        ),
      });
      continue;
    }
    matchedRows++;
    const chief = get('chief');
    const level = chiefLevelOf(get('chiefLevel'));
    const ownerName = get('owner');
    let ownerId: string | null = null;
    if (ownerName) {
      ownerId = unitsByName.get(ownerName) ?? district.units.find((u) => u.id === ownerName)?.id ?? null;
      if (!ownerId) {
        let n = newUnits.length + 1;
        const ids = new Set(district.units.map((u) => u.id));
        while (ids.has(`u-roster-${String(n).padStart(3, '0')}`)) n++;
        const unit: Unit = { id: `u-roster-${String(n).padStart(3, '0')}`, name: ownerName, kind: /局|委|办|中心/.test(ownerName) ? 'district_department' : /街道|镇|乡/.test(ownerName) ? 'street_office' : 'other' };
        district.units.push(unit);
        newUnits.push(unit);
        unitsByName.set(unit.name, unit.id);
        ownerId = unit.id;
      }
    }
    for (const road of targets) {
      matchedRoads++;
      const p = road.properties;
      if (chief) p.roadChief = { ...p.roadChief, name: chief };
      if (get('chiefTitle')) p.roadChief.title = get('chiefTitle');
      if (get('chiefPhone')) p.roadChief.phone = get('chiefPhone');
      if (level) p.roadChief.level = level;
      if (ownerId) p.ownerUnitId = ownerId;
      if (from && !p.from) p.from = from;
      if (to && !p.to) p.to = to;
    }
  }
  district.roads = roads;
  run.problems.push({
    code: 'roster_applied',
    severity: 'info',
    layer: 'roads',
    featureId: '',
    message: run.say(
      `路长名单 ${rows.length} 行中 ${matchedRows} 行按道路名称对应到 ${matchedRoads} 条道路${rows.length - matchedRows ? `，${rows.length - matchedRows} 行没有对应的道路` : ''}`,
      `${matchedRows} of the roster's ${rows.length} rows matched ${matchedRoads} road${matchedRoads === 1 ? '' : 's'} by name${rows.length - matchedRows ? `; ${rows.length - matchedRows} matched none` : ''}`,
    ),
  });
  return { changed: matchedRows > 0, newUnits };
}

/** Names compared without spaces and full-width/half-width brackets differences. */
function normalise(text: string): string {
  return text.replace(/\s+/g, '').replace(/（/g, '(').replace(/）/g, ')').trim();
}
