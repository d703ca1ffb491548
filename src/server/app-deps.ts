import type { ServerConfig } from './config';
import type { DistrictService } from './services/district-service';
import type { DutymapRepository } from './storage/repository';

/** What every route module gets from the app factory. */
export interface AppDeps {
  repo: DutymapRepository;
  districts: DistrictService;
  config: ServerConfig;
  now: () => Date;
}
