/**
 * Messages about the district's outline, its excluded areas and provisional (待细化) zones: map
 * layers and legend, the /plan listing, the lookup's reasons. `zh` is the source of the keys.
 */
export const zh = {
  'layer.excluded': '排除区域',
  'layer.outline': '区界',
  'map.legend.provisional': '待细化（导入时自动生成）',
  'map.legend.excluded': '排除区域（他方管理）',
  'screen.provisional': '待细化：{communities} 个社区、{grids} 个网格',
  'rule.excluded': '排除区域',
  'lookup.place.outside': '不在本区范围内。',
  'lookup.place.outsideHint': '此处没有本区的责任单位；仍可上报，问题转创建办处理（原因：不在本区范围内）。',
  'lookup.place.outsideOwner': '无（不在本区范围内）',
  'lookup.place.uncovered': '在区界内，但不属任何街道。',
  'lookup.place.uncoveredHint': '区划尚未覆盖此处，问题由创建办指定责任单位。',
  'lookup.place.excluded': '此处是排除区域“{name}”，不属任何街道。',
  'lookup.place.managingUnit': '管理单位：',
  'lookup.place.noManager': '未指定（由创建办指定）',
  'lookup.place.reason': '原因：{reason}',
};

export const en: Record<keyof typeof zh, string> = {
  'layer.excluded': 'Excluded areas',
  'layer.outline': 'District outline',
  'map.legend.provisional': 'Provisional (made by the import)',
  'map.legend.excluded': 'Excluded area (managed by others)',
  'rule.excluded': 'Excluded area',
  'lookup.place.outside': 'Not in this district (不在本区范围内).',
  'lookup.place.outsideHint': 'No unit of this district is responsible here; a report is still possible and goes to the campaign office with that reason.',
  'lookup.place.outsideOwner': 'None (not in this district)',
  'lookup.place.uncovered': 'Inside the district outline, but in no street.',
  'lookup.place.uncoveredHint': 'The zones do not cover this place yet; the campaign office designates the owner.',
  'lookup.place.excluded': 'This is the excluded area “{name}”, in no street.',
  'lookup.place.managingUnit': 'Managing unit: ',
  'lookup.place.noManager': 'none (the campaign office designates)',
  'lookup.place.reason': 'Why: {reason}',
  'screen.provisional': 'To be drawn (待细化): {communities, plural, one {# community} other {# communities}}, {grids, plural, one {# grid} other {# grids}}',
};
