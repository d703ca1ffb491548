import { LAYERS, layerFeatures } from '../district/district-schema';
import type { TopologyProblem } from '../topology/topology-problem';
import { formatArea, formatLocation } from '../topology/topology-problem';

/**
 * The Chinese sentence of a topology problem, for the import's report (the checks themselves
 * speak English, which `dutymap validate` and the API keep). Built from the problem's fields —
 * code, layer, features, area, location — and the names of the features, so it says as much as
 * the English one: what, which features, how large, where.
 */

/** The Chinese name of each layer (and of units and the district), for reports. */
export const LAYER_ZH: Readonly<Record<string, string>> = {
  streets: '街道',
  communities: '社区',
  grids: '网格',
  roads: '道路',
  checkpoints: '点位',
  excluded: '排除区域',
  outline: '区界',
  units: '单位',
  district: '区县',
};

/** "网格 g-12（东风第3网格）" */
function zone(layer: string, id: string | undefined, names: (layer: string, id: string) => string | undefined): string {
  if (!id) return LAYER_ZH[layer] ?? layer;
  const name = names(layer, id);
  return `${LAYER_ZH[layer] ?? layer} ${id}${name && name !== id ? `（${name}）` : ''}`;
}

/** A feature's name by layer and id in `district` (undefined for an id it lacks or a blank name), for chineseMessage. */
export function featureNamesOf(district: Parameters<typeof layerFeatures>[0]): (layer: string, id: string) => string | undefined {
  const byLayer = new Map<string, Map<string, string>>();
  for (const layer of LAYERS) {
    byLayer.set(layer, new Map(layerFeatures(district, layer).map((f) => [f.id, String((f.properties as { name?: unknown }).name ?? '')])));
  }
  return (layer, id) => byLayer.get(layer)?.get(id) || undefined;
}

/**
 * The problem in Chinese. `names(layer, id)` gives a feature's name when it has one. Codes this
 * does not know keep their English message.
 */
export function chineseMessage(p: TopologyProblem, names: (layer: string, id: string) => string | undefined): string {
  const what = zone(p.layer, p.featureId, names);
  const other = p.otherId ? zone(p.code === 'outside_parent' || p.code === 'gap' ? parentLayerOf(p.layer) : p.layer, p.otherId, names) : '';
  const size = p.areaM2 !== undefined ? formatArea(p.areaM2) : '';
  const at = p.location ? `，位置 ${formatLocation(p.location)}` : '';
  switch (p.code) {
    case 'wrong_geometry_type':
      return `${what} 的几何类型不适合该图层`;
    case 'invalid_coordinates':
      return `${what} 有不是有效经纬度的坐标${at}`;
    case 'unclosed_ring':
      return `${what} 的环没有闭合（首尾点不同）`;
    case 'too_few_points':
      return `${what} 的环少于 3 个不同的角点`;
    case 'duplicate_point':
      return `${what} 有连续重复的顶点${at}`;
    case 'self_intersection':
      return `${what} 的边界自相交${at}`;
    case 'wrong_orientation':
      return `${what} 的环方向不对（外环应为逆时针、内环顺时针）`;
    case 'zero_area':
      return `${what} 的面积为零`;
    case 'hole_outside_shell':
      return `${what} 的内环在外环之外`;
    case 'nested_holes':
      return `${what} 的内环嵌套在另一个内环里`;
    case 'overlapping_parts':
      return `${what} 的多个部分相互重叠${at}`;
    case 'too_small':
      return `${what} 只有 ${size}，小于最小面积`;
    case 'overlap':
      return `${what} 与 ${other} 重叠 ${size}${at}`;
    case 'gap': {
      // A gap no zone borders is reported on the parent itself (featureId = parentId): the missing zones are its children.
      const onParent = p.parentId !== undefined && p.featureId === p.parentId;
      const inParent = p.parentId ? `${zone(onParent ? p.layer : parentLayerOf(p.layer), p.parentId, names)} 内` : '';
      const missing = LAYER_ZH[onParent ? childLayerOf(p.layer) : p.layer] ?? '';
      return `${inParent}有 ${size} 不属任何${missing}（缝隙${onParent ? '' : `，邻接 ${what}${p.otherId ? '、' + p.otherId : ''}`}）${at}`;
    }
    case 'uncovered_area':
      return `区内有 ${size} 不属任何街道或排除区域${at}：请设为排除区域（水域、外区飞地、其他单位管理的土地）或划入街道`;
    case 'outside_outline':
      return `${what} 有 ${size} 在区界之外${at}`;
    case 'outside_parent':
      return `${what} 有 ${size} 超出其上级 ${other}${at}`;
    case 'empty_parent':
      return `${what} 下面没有任何${p.layer === 'streets' ? '社区' : '网格'}${size ? `，其 ${size} 无人负责` : ''}`;
    case 'duplicate_id':
      return `${LAYER_ZH[p.layer] ?? p.layer}的编号 ${p.featureId} 出现了不止一次`;
    case 'duplicate_code':
      return `${what} 的编码与 ${p.otherId ?? ''} 相同`;
    case 'dangling_parent':
      return `${what} 的上级 ${p.otherId ?? ''} 不存在`;
    case 'unexpected_parent':
      return `${what} 有上级编号；街道直接属于区县`;
    case 'dangling_unit':
      return `${what} 的责任单位 ${p.otherId ?? ''} 不在单位名单中`;
    case 'blank_name':
      return `${what} 没有名称`;
    case 'not_found':
      return `没有 ${what}`;
    default:
      return p.message;
  }
}

function childLayerOf(layer: string): string {
  return layer === 'streets' ? 'communities' : layer === 'communities' ? 'grids' : layer;
}

function parentLayerOf(layer: string): string {
  return layer === 'grids' ? 'communities' : layer === 'communities' ? 'streets' : layer;
}
