/**
 * The engine's real baseline: PostGIS answering the same questions for the same points in the
 * same run. The district's streets, communities, grids and roads go into tables with GiST indexes
 * (ANALYZEd); the points are the engine bench's (seededPoints, same seed), sent as two float8
 * arrays in one statement so that no round trip per point is counted against PostGIS:
 *
 * - grid chain: for each point the street, community and grid whose polygon `ST_Contains` it
 *   (three index probes, as the engine locates street → community → grid);
 * - chain + nearest road: the same and the nearest road segment by `ORDER BY geom <-> point
 *   LIMIT 1` (the GiST k-nearest-neighbour search), a subset of the engine's full policy (which
 *   also finds checkpoints and applies the rules), so the full-policy ratio is conservative.
 *
 * Timed on a sample of the points (best of two passes after a warm-up); the grid answers are
 * compared with the engine's on the same sample (points exactly on a shared edge, which random
 * doubles almost never hit, are the only ones the two may place differently).
 */
import os from 'node:os';
import pg from 'pg';
import { locateChain, type ZoneChain } from '../../src/core/assignment/assign-issue';
import { DEFAULT_POLICY } from '../../src/core/assignment/assignment-policy';
import { buildDistrictIndex } from '../../src/core/assignment/district-index';
import type { DistrictGeometry } from '../../src/core/district/district-schema';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import type { EngineCaseResult } from './engine-bench';
import { seededPoints } from './engine-bench';

export interface PostgisCaseResult {
  name: string;
  /** Points timed in PostGIS (a prefix of the engine's million). */
  sample: number;
  postgisMsPerPoint: number;
  /** PostGIS's time for 1,000,000 points, extrapolated from the sample. */
  postgisMsPerMillion: number;
  engineMsPerPoint: number;
  /** postgisMsPerPoint ÷ engineMsPerPoint (target ≥ 10). */
  ratio: number;
  /** Share of the sample where PostGIS and the engine name the same grid (or none). */
  gridAgreement: number;
}

export interface PostgisBenchResult {
  loadAverage: { before: number; after: number; cpus: number };
  postgis: string;
  cases: PostgisCaseResult[];
}

const SETUP = `
  CREATE EXTENSION IF NOT EXISTS postgis;
  DROP TABLE IF EXISTS b_streets, b_communities, b_grids, b_roads;
  CREATE TABLE b_streets (idx int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL);
  CREATE TABLE b_communities (idx int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL);
  CREATE TABLE b_grids (idx int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL);
  CREATE TABLE b_roads (idx int PRIMARY KEY, geom geometry(Geometry, 4326) NOT NULL);
`;

const POINTS = `SELECT i, ST_SetSRID(ST_MakePoint(x, y), 4326) AS p FROM unnest($1::float8[], $2::float8[]) WITH ORDINALITY AS t(x, y, i)`;
const CHAIN = `
  (SELECT s.idx FROM b_streets s WHERE ST_Contains(s.geom, pts.p) LIMIT 1) AS street,
  (SELECT c.idx FROM b_communities c WHERE ST_Contains(c.geom, pts.p) LIMIT 1) AS community,
  (SELECT g.idx FROM b_grids g WHERE ST_Contains(g.geom, pts.p) LIMIT 1) AS grid`;
const CHAIN_SQL = `SELECT i, ${CHAIN} FROM (${POINTS}) AS pts ORDER BY i`;
const WITH_ROAD_SQL = `SELECT i, ${CHAIN}, (SELECT r.idx FROM b_roads r ORDER BY r.geom <-> pts.p LIMIT 1) AS road FROM (${POINTS}) AS pts ORDER BY i`;

/** Loads `district` into the tables of `client`'s database and indexes it. */
async function loadDistrict(client: pg.Client, district: DistrictGeometry): Promise<void> {
  await client.query(SETUP);
  const insert = async (table: string, features: readonly { geometry: unknown }[]) => {
    for (let from = 0; from < features.length; from += 500) {
      const part = features.slice(from, from + 500);
      await client.query(
        `INSERT INTO ${table} (idx, geom) SELECT i - 1 + $2, ST_SetSRID(ST_GeomFromGeoJSON(g), 4326) FROM unnest($1::text[]) WITH ORDINALITY AS t(g, i)`,
        [part.map((f) => JSON.stringify(f.geometry)), from],
      );
    }
    await client.query(`CREATE INDEX ON ${table} USING gist (geom)`);
  };
  await insert('b_streets', district.streets);
  await insert('b_communities', district.communities);
  await insert('b_grids', district.grids);
  await insert('b_roads', district.roads);
  await client.query('ANALYZE');
}

/**
 * Times PostGIS on the engine bench's points for each district and sets it against the engine
 * cases of the same run (`engine`, named `${district name}: grid chain` / `: full policy (assign, JSON answer)`).
 * Starts and removes its own PostgreSQL cluster.
 */
export async function benchPostgis(
  districts: readonly { name: string; district: DistrictGeometry }[],
  engine: readonly EngineCaseResult[],
  options: { sample: number; seed: number },
): Promise<PostgisBenchResult> {
  const loadBefore = os.loadavg()[0];
  const cluster = await startPostgresCluster();
  try {
    const client = new pg.Client({ connectionString: await cluster.createDatabase('bench_postgis') });
    await client.connect();
    try {
      const version = (await client.query<{ v: string }>('SELECT postgis_lib_version() AS v')).rows[0]!.v;
      const cases: PostgisCaseResult[] = [];
      for (const { name, district } of districts) {
        await loadDistrict(client, district);
        const { xy } = seededPoints(district, options.sample, options.seed);
        const xs: number[] = [];
        const ys: number[] = [];
        for (let i = 0; i < options.sample; i++) {
          xs.push(xy[2 * i]!);
          ys.push(xy[2 * i + 1]!);
        }
        const time = async (sql: string) => {
          await client.query(sql, [xs.slice(0, 200), ys.slice(0, 200)]); // plan and warm the cache
          let best = Infinity;
          let rows: { grid: number | null }[] = [];
          for (let pass = 0; pass < 2; pass++) {
            const t0 = performance.now();
            rows = (await client.query<{ grid: number | null }>(sql, [xs, ys])).rows;
            best = Math.min(best, performance.now() - t0);
          }
          return { msPerPoint: best / options.sample, rows };
        };
        // The engine's grid for each sample point, for the agreement check.
        const index = buildDistrictIndex(district, DEFAULT_POLICY);
        const chain: ZoneChain = { street: -1, community: -1, grid: -1 };
        const engineGrid = (i: number) => {
          locateChain(index, xy[2 * i]!, xy[2 * i + 1]!, chain);
          return chain.grid >= 0 ? index.grids[chain.grid]!.id : null;
        };
        const agreement = (rows: { grid: number | null }[]) => {
          let same = 0;
          rows.forEach((row, i) => {
            if ((row.grid === null ? null : district.grids[row.grid]!.id) === engineGrid(i)) same++;
          });
          return same / rows.length;
        };
        for (const [caseName, engineCase, sql] of [
          ['grid chain', 'grid chain', CHAIN_SQL],
          ['grid chain + nearest road', 'full policy (assign, JSON answer)', WITH_ROAD_SQL],
        ] as const) {
          const engineResult = engine.find((c) => c.name === `${name}: ${engineCase}`);
          const { msPerPoint, rows } = await time(sql);
          const engineMsPerPoint = engineResult?.engineMsPerPoint ?? NaN;
          const result: PostgisCaseResult = {
            name: `${name}: ${caseName} (vs the engine's ${engineCase})`,
            sample: options.sample,
            postgisMsPerPoint: Number(msPerPoint.toFixed(5)),
            postgisMsPerMillion: Math.round(msPerPoint * 1_000_000),
            engineMsPerPoint,
            ratio: Number((msPerPoint / engineMsPerPoint).toFixed(1)),
            gridAgreement: agreement(rows),
          };
          cases.push(result);
          process.stderr.write(`postgis bench: ${result.name}: ${result.postgisMsPerMillion} ms per million, ${result.ratio}× the engine, grids agree ${result.gridAgreement}\n`);
        }
      }
      return { loadAverage: { before: round2(loadBefore), after: round2(os.loadavg()[0]!), cpus: os.cpus().length }, postgis: version, cases };
    } finally {
      await client.end();
    }
  } finally {
    await cluster.stop();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;

if (import.meta.url === `file://${process.argv[1]}`) {
  // Standalone: `tsx tests/bench/postgis-bench.ts [--quick]`, the engine and PostGIS on the bench districts.
  const { benchDistricts } = await import('./bench-districts');
  const { benchEngine } = await import('./engine-bench');
  const quick = process.argv.includes('--quick');
  const districts = benchDistricts(quick);
  const engine = districts.flatMap(({ name, district }) => benchEngine(name, district, { points: quick ? 100_000 : 1_000_000, baselineSample: 300, seed: 20261123 }).cases);
  const result = await benchPostgis(districts, engine, { sample: quick ? 2000 : 20_000, seed: 20261123 });
  process.stdout.write(JSON.stringify({ engine, postgis: result }, null, 2) + '\n');
}
