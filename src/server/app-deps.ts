import type { ServerConfig } from './config';
import type { DistrictService } from './district-service';
import type { DutymapRepository } from './repository';

/** What every route module gets from the app factory. */
export interface AppDeps {
  repo: DutymapRepository;
  districts: DistrictService;
  config: ServerConfig;
  now: () => Date;
}
