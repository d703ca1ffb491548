import type { AreaGeometry } from '../geometry/geometry-schema';
import type { Random } from './random';
import type { DistrictDirectory } from './district-directory';
import type { PeopleFactory } from './people';
import type { BuiltRoad } from './road-features';
import type { UnitRegistry } from './unit-registry';
import type { ZoneLayout } from './zone-layout';

/** What the later generator stages (checkpoints, issues) share: the zones, roads, units and names built so far. */
export interface StageContext {
  readonly layout: ZoneLayout;
  readonly directory: DistrictDirectory;
  readonly registry: UnitRegistry;
  readonly people: PeopleFactory;
  readonly random: Random;
  readonly scale: number;
  readonly districtCode: string;
  /** Grid geometry per cell. */
  readonly cells: readonly AreaGeometry[];
  readonly roads: readonly BuiltRoad[];
}
