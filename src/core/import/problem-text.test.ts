import { describe, expect, it } from 'vitest';
import { makeProblem } from '../topology/topology-problem';
import { chineseMessage } from './problem-text';

const NAMES: Record<string, string> = { 'communities:C3': '东风社区', 'grids:G6': '东风第6网格', 'grids:G7': '东风第7网格', 'streets:S1': '东风街道' };
const names = (layer: string, id: string) => NAMES[`${layer}:${id}`];

describe('chineseMessage', () => {
  it('names the parent and the missing children of a gap reported on the parent itself (no zone borders it)', () => {
    const p = makeProblem('gap', { layer: 'communities', featureId: 'C3', parentId: 'C3', areaM2: 40_000, location: [114.3, 30.5], message: 'gap of 40,000 m² in community C3 not covered by any grid' });
    expect(chineseMessage(p, names)).toBe('社区 C3（东风社区） 内有 40,000 m² 不属任何网格（缝隙），位置 114.3, 30.5');
  });

  it('names the parent and the bordering zones of a gap between siblings', () => {
    const p = makeProblem('gap', { layer: 'grids', featureId: 'G6', otherId: 'G7', parentId: 'C3', areaM2: 1_200, message: 'gap' });
    expect(chineseMessage(p, names)).toBe('社区 C3（东风社区） 内有 1,200 m² 不属任何网格（缝隙，邻接 网格 G6（东风第6网格）、G7）');
  });

  it('says an overlap with both zones and the area', () => {
    const p = makeProblem('overlap', { layer: 'grids', featureId: 'G6', otherId: 'G7', areaM2: 35, message: 'overlap' });
    expect(chineseMessage(p, names)).toBe('网格 G6（东风第6网格） 与 网格 G7（东风第7网格） 重叠 35.0 m²');
  });
});
