import { EXCLUDED_KIND_LABELS, type ExcludedKind } from '../district/catalog';
import type { ExcludedFeature } from '../district/district-schema';
import type { AssignmentResult } from './assignment-schema';

/** What the explanation needs to name things: the district, units, the deciding feature, the excluded area. */
export interface ExplainNames {
  districtName: string;
  unitName(id: string): string | null;
  /** The name of the feature that decided (a checkpoint, road or grid), by rule and id. */
  featureName(rule: 'checkpoint' | 'road' | 'grid', id: string): string | null;
  /** The excluded area the point lies in, when it does. */
  excluded: { name: string; kind: ExcludedKind; reason?: string } | null;
}

const RULE_TEXT = {
  checkpoint: { zh: '位于测评点位', en: 'the point lies at evaluation checkpoint' },
  road: { zh: '位于道路', en: 'the point is on road' },
  grid: { zh: '位于网格', en: 'the point lies in grid' },
} as const;

/**
 * One sentence in Chinese and one in English saying which rule decided, how far, for whom — and,
 * when no zone holds the point, why: outside the district ("不在本区范围内"), inside an excluded
 * area (its name, kind, managing unit and reason), or inside the district but in no street.
 */
export function explainAssignment(a: AssignmentResult, names: ExplainNames): { zh: string; en: string } {
  const unit = a.unitId ? (names.unitName(a.unitId) ?? a.unitId) : null;
  if (a.place === 'outside') {
    return {
      zh: `不在本区范围内：该位置在${names.districtName}辖区外。仍可上报，由创建办核实后指定责任单位。`,
      en: `Outside the district: this place lies outside ${names.districtName}. It can still be reported; the campaign office checks it and designates an owner.`,
    };
  }
  const area = names.excluded;
  if (a.rule === 'excluded' && unit && area) {
    const reason = area.reason ? `（${area.reason}）` : '';
    return {
      zh: `位于「${area.name}」（${EXCLUDED_KIND_LABELS[area.kind].zh}，不属任何街道）${reason}，由管理单位${unit}负责。`,
      en: `The point lies in "${area.name}" (${EXCLUDED_KIND_LABELS[area.kind].en.toLowerCase()}, in no street)${area.reason ? ` — ${area.reason}` : ''}, so its managing unit ${unit} is responsible.`,
    };
  }
  if (a.rule === 'office' || !unit) {
    if (a.place === 'excluded' && area) {
      return {
        zh: `位于「${area.name}」（${EXCLUDED_KIND_LABELS[area.kind].zh}，不属任何街道），该区域没有管理单位，由创建办指定。`,
        en: `The point lies in "${area.name}" (${EXCLUDED_KIND_LABELS[area.kind].en.toLowerCase()}, in no street), which has no managing unit: the campaign office designates an owner.`,
      };
    }
    if (a.place === 'uncovered') {
      return {
        zh: '位于本区范围内，但不属任何街道或排除区域，由创建办指定。',
        en: 'Inside the district but in no street and no excluded area: the campaign office designates an owner.',
      };
    }
    return {
      zh: '没有规则找到责任单位（不在任何网格内或处于缝隙），由创建办指派。',
      en: 'No rule found an owner (outside every grid, or in a gap): the campaign office designates one.',
    };
  }
  const rule = a.rule as 'checkpoint' | 'road' | 'grid';
  const id = rule === 'checkpoint' ? a.checkpointId : rule === 'road' ? a.roadId : a.gridId;
  const name = id ? (names.featureName(rule, id) ?? id) : '';
  const metres = a.distanceM && a.distanceM > 0 ? `${Math.round(a.distanceM)} m` : '';
  return {
    zh: `${RULE_TEXT[rule].zh}「${name}」${metres ? `（距离 ${metres}）` : ''}，责任单位：${unit}。`,
    en: `${RULE_TEXT[rule].en} "${name}"${metres ? ` (${metres} away)` : ''}, so it belongs to ${unit}.`,
  };
}

/**
 * The excluded area a lookup answers with: its identity, kind and reason, and its managing unit
 * named (null when it has none or the unit is unknown). One shape for the server and the mocks.
 */
export function excludedAreaAnswer(
  excluded: ExcludedFeature,
  unitName: (id: string) => string | null,
): { id: string; code: string; name: string; kind: ExcludedKind; reason: string | null; managingUnit: { id: string; name: string } | null } {
  const managerId = excluded.properties.managingUnitId ?? null;
  const managerName = managerId ? unitName(managerId) : null;
  return {
    id: excluded.id,
    code: excluded.properties.code,
    name: excluded.properties.name,
    kind: excluded.properties.kind,
    reason: excluded.properties.reason ?? null,
    managingUnit: managerId && managerName !== null ? { id: managerId, name: managerName } : null,
  };
}
