import type { ZoneLayerName } from '../district/district-schema';
import type { OutsideFinding, OverlapFinding } from './sibling-check';
import type { GapFinding, ZoneEntry } from './zone-entry';
import { LAYER_NOUN, formatArea, formatLocation, makeProblem, type TopologyProblem } from './topology-problem';

/**
 * Turns the findings of sibling-check.ts into problems with messages a planner can act on. Shared
 * by the whole-district check and the zone-edit check so both speak the same way.
 */

/** "grid g-12 (东风第3网格)" */
export function describeZone(layer: ZoneLayerName, id: string, name?: string): string {
  return `${LAYER_NOUN[layer]} ${id}${name ? ` (${name})` : ''}`;
}

export function describeEntry(entry: ZoneEntry): string {
  return describeZone(entry.layer, entry.id, entry.name);
}

function near(location: [number, number] | undefined): string {
  return location ? ` near ${formatLocation(location)}` : '';
}

function sizeOf(areaM2: number): string {
  return Number.isNaN(areaM2) ? 'an area that could not be measured' : formatArea(areaM2);
}

/** A zone below the minimum area. */
export function tooSmallProblem(entry: ZoneEntry, minZoneAreaM2: number): TopologyProblem {
  return makeProblem('too_small', {
    layer: entry.layer,
    featureId: entry.id,
    areaM2: entry.areaM2,
    message: `${describeEntry(entry)} covers only ${formatArea(entry.areaM2)}; the minimum is ${formatArea(minZoneAreaM2)}`,
  });
}

/** "grid g-12 (…) overlaps grid g-13 (…) by 35.2 m² near …" */
export function overlapProblem(found: OverlapFinding): TopologyProblem {
  return makeProblem('overlap', {
    layer: found.a.layer,
    featureId: found.a.id,
    otherId: found.b.id,
    ...(Number.isNaN(found.areaM2) ? {} : { areaM2: found.areaM2 }),
    ...(found.location ? { location: found.location } : {}),
    message: `${describeEntry(found.a)} overlaps ${describeEntry(found.b)} by ${sizeOf(found.areaM2)}${near(found.location)}`,
  });
}

/** "grid g-12 (…) reaches 20.0 m² outside its community c-3 (…) near …" */
export function outsideProblem(found: OutsideFinding, parent: ZoneEntry): TopologyProblem {
  return makeProblem('outside_parent', {
    layer: found.child.layer,
    featureId: found.child.id,
    otherId: parent.id,
    parentId: parent.id,
    ...(Number.isNaN(found.areaM2) ? {} : { areaM2: found.areaM2 }),
    ...(found.location ? { location: found.location } : {}),
    message: `${describeEntry(found.child)} reaches ${sizeOf(found.areaM2)} outside its ${LAYER_NOUN[parent.layer]} ${parent.id}${
      parent.name ? ` (${parent.name})` : ''
    }${near(found.location)}`,
  });
}

/**
 * A gap. Without `cause` (the whole-district check) it is attributed to the first sibling (by id)
 * whose boundary it touches, so that the problem names a feature of the layer, with the second
 * such sibling as otherId. With `cause` (an edit) it is attributed to the edited zone and otherId
 * is the first other sibling it borders. parentId is the parent, when there is one.
 */
export function gapProblem(
  gap: GapFinding,
  layer: ZoneLayerName,
  parent: ZoneEntry | null,
  cause?: { id: string; name?: string; removed?: boolean },
): TopologyProblem {
  const others = cause ? gap.borderingIds.filter((id) => id !== cause.id) : gap.borderingIds.slice(1);
  const featureId = cause ? cause.id : gap.borderingIds[0];
  const noun = LAYER_NOUN[layer];
  const bordering =
    others.length === 0
      ? ''
      : ` (bordering ${noun} ${others.slice(0, 4).join(', ')}${others.length > 4 ? ', …' : ''})`;
  const where = parent ? ` in ${describeEntry(parent)}` : ` enclosed by the ${layer}`;
  const size = formatArea(gap.areaM2);
  const message = cause
    ? `${cause.removed ? 'removing ' : ''}${describeZone(layer, cause.id, cause.name)} leaves a gap of ${size}${where}${bordering}${near(gap.location)}`
    : `gap of ${size}${where} not covered by any ${noun}${featureId !== undefined ? ` (bordering ${noun} ${gap.borderingIds.slice(0, 4).join(', ')}${gap.borderingIds.length > 4 ? ', …' : ''})` : ''}${near(gap.location)}`;
  return makeProblem('gap', {
    layer: featureId !== undefined || !parent ? layer : parent.layer,
    featureId: featureId ?? parent?.id ?? '',
    ...(others[0] !== undefined ? { otherId: others[0] } : {}),
    ...(parent ? { parentId: parent.id } : {}),
    areaM2: gap.areaM2,
    ...(gap.location ? { location: gap.location } : {}),
    message,
  });
}

/**
 * An area enclosed by the streets that an edit leaves to no street: not an error (real districts
 * have rivers and enclaves) but a warning that offers it as an excluded area.
 */
export function uncoveredProblem(gap: GapFinding, cause: { id: string; name?: string; removed?: boolean }): TopologyProblem {
  const others = gap.borderingIds.filter((id) => id !== cause.id);
  return makeProblem('uncovered_area', {
    layer: 'streets',
    featureId: cause.id,
    ...(others[0] !== undefined ? { otherId: others[0] } : {}),
    areaM2: gap.areaM2,
    ...(gap.location ? { location: gap.location } : {}),
    message: `${cause.removed ? 'removing ' : ''}${describeZone('streets', cause.id, cause.name)} leaves ${formatArea(gap.areaM2)} enclosed by the streets that belong to no street${near(gap.location)}: make it an excluded area or give it to a street`,
  });
}
