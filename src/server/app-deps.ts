import type { ServerConfig } from './config';
import type { EventLoopMonitor } from './event-loop-monitor';
import type { DistrictService } from './services/district-service';
import type { DutymapRepository } from './storage/repository';

/** What every route module gets from the app factory. */
export interface AppDeps {
  repo: DutymapRepository;
  districts: DistrictService;
  config: ServerConfig;
  now: () => Date;
  /** The event-loop watch of this process (main.ts), reported by /api/health; absent in tools. */
  loop?: EventLoopMonitor | null;
}
