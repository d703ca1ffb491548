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
};

export const en: Record<keyof typeof zh, string> = {
  'layer.excluded': 'Excluded areas',
  'layer.outline': 'District outline',
  'map.legend.provisional': 'Provisional (made by the import)',
  'map.legend.excluded': 'Excluded area (managed by others)',
  'screen.provisional': 'To be drawn (待细化): {communities, plural, one {# community} other {# communities}}, {grids, plural, one {# grid} other {# grids}}',
};
