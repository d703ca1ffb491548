import type { DistrictGeometry } from '../../src/core/district-schema';
import { generateDistrict } from '../../src/core/generate/generate-district';

/** The districts the engine is measured on: the demo's size and ten times larger. */
export function benchDistricts(quick: boolean): { name: string; district: DistrictGeometry }[] {
  return [
    { name: 'demo-size (scale 1)', district: generateDistrict({ scale: 1 }) },
    { name: '10x demo (scale 10)', district: generateDistrict({ scale: quick ? 3 : 10 }) },
  ];
}
