import type { DistrictGeometry } from '../../src/core/district-schema';
import { generateDistrict } from '../../src/core/generate/generate-district';

/** The districts the engine is measured on: the demo's size and ten times larger (three with --quick). */
export function benchDistricts(quick: boolean): { name: string; district: DistrictGeometry }[] {
  const large = quick ? 3 : 10;
  return [
    { name: 'demo size (scale 1)', district: generateDistrict({ scale: 1 }) },
    { name: `${large}x demo (scale ${large})`, district: generateDistrict({ scale: large }) },
  ];
}
