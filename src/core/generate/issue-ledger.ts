import { assign } from '../assignment/assign-issue';
import type { StageContext } from './stage-context';
import type { AssignmentResult } from '../assignment/assignment-schema';
import { ISSUE_CATEGORY_INFO, type IssueCategory } from '../district/catalog';
import type { CheckpointFeature } from '../district/district-schema';
import type { DistrictIndex } from '../assignment/district-index';
import type { IssueFeature } from '../issues/issue-schema';
import type { Random } from './random';
import { AreaLocator } from './cell-locator';
import { pad } from './district-directory';
import { STALL_SHARE, simulateLifecycle } from './issue-lifecycle';
import {
  ALLEY_ISSUE_MIX,
  CHECKPOINT_ISSUE_MIX,
  DESCRIPTIONS,
  GRID_ISSUE_MIX,
  ROAD_ISSUE_MIX,
  RULE_NOTES,
  SOURCE_MIX,
  pickWeighted,
  severityMix,
  type CategoryMix,
} from './issue-text';
import { pointAlong, polylineLength, ringCentroid, type XY } from './plane-geometry';
import { DAY_MS, HOUR_MS, MINUTE_MS, chinaMidnight } from './time-format';
import { weightedPicker } from './weighted-pick';

/** Issues per scale unit, and how many of them lie just outside the district (the office queue). */
export const ISSUES_PER_SCALE = 1250;
export const OUTSIDE_ISSUES_PER_SCALE = 8;
/** The ledger covers this many days before `now`. */
export const LEDGER_DAYS = 60;
/** Issues outside the district were reported within this many days (so the queue is not all cleared). */
const OUTSIDE_ISSUE_DAYS = 10;

/** How busy a checkpoint category is: markets and commercial streets collect the most issues. */
const CHECKPOINT_WEIGHT: Record<string, number> = {
  farmers_market: 6,
  commercial_street: 5,
  construction_site: 3,
  station: 2.5,
  school: 2,
  hospital: 2,
  park_square: 2,
  public_toilet: 2,
  arterial_road: 2,
  back_alley: 2,
  residential_compound: 1.5,
  window_service: 1,
  cultural_venue: 1,
  civilization_practice: 0.5,
  volunteer_station: 0.5,
};
const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;
const ROAD_WEIGHT = { arterial: 3, secondary: 2, alley: 1.2 } as const;

export interface IssueContext extends StageContext {
  readonly index: DistrictIndex;
  /** The fixed "now" of the ledger, epoch ms. */
  readonly now: number;
  readonly checkpoints: readonly CheckpointFeature[];
  /** Grid names per cell. */
  readonly gridNames: readonly string[];
}

interface Spot {
  lon: number;
  lat: number;
  category: IssueCategory;
  place: string;
}

/**
 * The issue ledger (问题台账): 1,250·scale issues over the 60 days before `now`, of which
 * 8·scale lie just outside the district (within 300 m) and so reach the campaign office's queue.
 * Issues cluster where inspectors find them — at checkpoints (markets and commercial streets
 * most), along roads (arterials most) and in busy grids — with categories that fit the place.
 * Each issue's `assignment` is the engine's answer for its point and category, and its history is
 * played forward by simulateLifecycle; `unitId` is the engine's unit unless the office designated
 * another. Issues are numbered in order of report.
 */
export function buildIssueLedger(ctx: IssueContext): IssueFeature[] {
  const { random, scale, now } = ctx;
  const sampler = new SpotSampler(ctx);
  const total = ISSUES_PER_SCALE * scale;
  const outside = OUTSIDE_ISSUES_PER_SCALE * scale;
  const drafts: { spot: Spot; assignment: AssignmentResult; reportedAt: number; street: number }[] = [];
  const reportTime = (days: number) => {
    // Slightly more reports lately (the campaign intensifies), in waking hours, never in the future.
    for (;;) {
      const daysAgo = Math.floor(days * random.next() ** 1.15);
      const hour = Math.min(21.5, Math.max(7, 7.5 + Math.abs(random.normal()) * 4.5));
      const t = chinaMidnight(now) - daysAgo * DAY_MS + Math.round(hour * 60) * MINUTE_MS + random.int(0, 59) * 1000;
      if (t < now - 10 * MINUTE_MS) return t;
    }
  };
  while (drafts.length < total - outside) {
    const spot = sampler.inside();
    const assignment = assign(ctx.index, [spot.lon, spot.lat], spot.category);
    if (assignment.gridId === null) continue;
    drafts.push({ spot, assignment, reportedAt: reportTime(LEDGER_DAYS), street: -1 });
  }
  while (drafts.length < total) {
    const { spot, street } = sampler.outside();
    const assignment = assign(ctx.index, [spot.lon, spot.lat], spot.category);
    if (assignment.rule !== 'office' || assignment.gridId !== null) continue;
    // Reported lately: the office designates within days, so some still wait in its queue.
    drafts.push({ spot, assignment, reportedAt: reportTime(OUTSIDE_ISSUE_DAYS), street });
  }
  drafts.sort((a, b) => a.reportedAt - b.reportedAt);

  const officeStaff = ctx.directory.officeStaff;
  const streetOfficeOf = (streetId: string | null) => ctx.directory.streets.find((s) => s.id === streetId)?.unitId;
  const reporters = {
    inspection: () => `网格员${ctx.people.name()}`,
    supervision: () => `创建办督查组${random.pick(officeStaff).name}`,
    citizen_complaint: () => '12345市民服务热线',
    evaluation: () => '第三方测评组',
  };
  const width = Math.max(5, String(total).length);
  return drafts.map((draft, i) => {
    const { spot, assignment } = draft;
    const source = pickWeighted(SOURCE_MIX, random);
    const severity = pickWeighted(severityMix(spot.category), random);
    const deadlineDays = ISSUE_CATEGORY_INFO[spot.category].deadlineDays;
    const designateTo = () => {
      if (draft.street >= 0) return ctx.directory.streets[draft.street].unitId;
      const other = assignment.candidates.find((c) => c.unitId && c.unitId !== assignment.unitId)?.unitId;
      return other ?? streetOfficeOf(assignment.streetId) ?? ctx.directory.officeUnitId;
    };
    const life = simulateLifecycle(
      {
        reportedAt: draft.reportedAt,
        deadlineDays,
        now,
        engineUnitId: assignment.unitId,
        ruleNote: RULE_NOTES[assignment.rule],
        // Stalls are spread evenly over time (golden-ratio sequence) rather than drawn, so the
        // closed share barely varies from seed to seed.
        stalls: ((i + 1) * GOLDEN_FRACTION) % 1 < STALL_SHARE,
      },
      {
        reporter: reporters[source](),
        unitName: (id) => ctx.registry.get(id).name,
        office: () => `创建办${random.pick(officeStaff).name}`,
        designateTo,
      },
      random,
    );
    const description = random.pick(DESCRIPTIONS[spot.category]).replace('{p}', spot.place);
    return {
      type: 'Feature',
      id: `is-${pad(i + 1, width)}`,
      geometry: { type: 'Point', coordinates: [spot.lon, spot.lat] },
      properties: {
        code: `${ctx.districtCode}-WT-${pad(i + 1, width)}`,
        category: spot.category,
        description,
        source,
        severity,
        reportedAt: life.history[0].at,
        deadline: formatDeadline(draft.reportedAt, deadlineDays),
        status: life.status,
        unitId: life.unitId,
        // The demo's files predate `place` (where a point outside every zone lies): written
        // without it so that data/demo keeps its bytes; the engine gives it again when asked.
        assignment: withoutPlace(assignment),
        closedAt: life.closedAt,
        photos: [],
        history: life.history,
      },
    };
  });
}

function formatDeadline(reportedAt: number, days: number): string {
  // Same formatting as the history, so deadline and report compare as strings too.
  return new Date(Math.floor(reportedAt / 1000) * 1000 + days * DAY_MS + 8 * HOUR_MS).toISOString().slice(0, 19) + '+08:00';
}

/** Draws issue positions where issues happen. */
class SpotSampler {
  private readonly locator: AreaLocator;
  private readonly pickCheckpoint: (random: Random) => number;
  private readonly roadLines: XY[][];
  private readonly pickRoad: (random: Random) => number;
  private readonly pickCell: (random: Random) => number;
  private readonly outerEdges: number[];

  constructor(private readonly ctx: IssueContext) {
    const { layout } = ctx;
    const frame = layout.frame;
    this.locator = new AreaLocator(frame, ctx.cells);
    this.pickCheckpoint = weightedPicker(ctx.checkpoints.map((c) => CHECKPOINT_WEIGHT[c.properties.category] ?? 1));
    this.roadLines = ctx.roads.map((r) => (r.feature.geometry.coordinates as number[][]).map(([lon, lat]) => frame.toMetres(lon, lat)));
    this.pickRoad = weightedPicker(
      this.roadLines.map((line, i) => {
        const mid = line[line.length >> 1];
        return polylineLength(line) * ROAD_WEIGHT[ctx.roads[i].feature.properties.roadClass] * layout.density(mid[0], mid[1]);
      }),
    );
    const mesh = layout.mesh;
    this.pickCell = weightedPicker(Array.from({ length: mesh.cellCount }, (_, c) => layout.density(mesh.sites[2 * c], mesh.sites[2 * c + 1]) ** 1.5));
    this.outerEdges = mesh.edges.map((e, i) => (e.right < 0 && e.lengthM > 60 ? i : -1)).filter((i) => i >= 0);
  }

  /** A spot inside the district: 40 % at checkpoints, 30 % along roads, 30 % anywhere in busy grids. */
  inside(): Spot {
    const { random } = this.ctx;
    const r = random.next();
    if (r < 0.4) return this.atCheckpoint();
    if (r < 0.7) return this.alongRoad();
    return this.inGrid();
  }

  /** A spot 40–280 m outside the outer boundary, and the street it is closest to. */
  outside(): { spot: Spot; street: number } {
    const { random, layout } = this.ctx;
    const mesh = layout.mesh;
    const e = mesh.edges[random.pick(this.outerEdges)];
    const ax = mesh.vertexX[e.a];
    const ay = mesh.vertexY[e.a];
    const dx = mesh.vertexX[e.b] - ax;
    const dy = mesh.vertexY[e.b] - ay;
    const len = Math.hypot(dx, dy);
    const t = random.range(0.2, 0.8);
    const d = random.range(40, 280);
    // The district is on the edge's left, so outside is to its right: (dy, −dx).
    const [lon, lat] = layout.frame.toLonLat(ax + dx * t + (dy / len) * d, ay + dy * t - (dx / len) * d);
    const category = pickWeighted(GRID_ISSUE_MIX, random);
    const street = layout.streetOf[e.left];
    const streetName = this.ctx.directory.streets[street].name;
    return { spot: { lon, lat, category, place: `${streetName}辖区边界外侧` }, street };
  }

  private atCheckpoint(): Spot {
    const { random, layout, checkpoints } = this.ctx;
    const frame = layout.frame;
    const checkpoint = checkpoints[this.pickCheckpoint(random)];
    const mix = CHECKPOINT_ISSUE_MIX[checkpoint.properties.category];
    const category = pickWeighted(mix, random);
    const g = checkpoint.geometry;
    let x: number;
    let y: number;
    if (g.type === 'Point') {
      [x, y] = frame.toMetres(g.coordinates[0], g.coordinates[1]);
      const d = Math.min(90, Math.abs(random.normal()) * 30);
      const a = random.range(0, 2 * Math.PI);
      x += d * Math.cos(a);
      y += d * Math.sin(a);
    } else {
      const ring = (g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0]).map(([lon, lat]) => frame.toMetres(lon, lat));
      [x, y] = ringCentroid(ring);
      const xs = ring.map((p) => p[0]);
      const ys = ring.map((p) => p[1]);
      const reach = (Math.max(...xs) - Math.min(...xs) + Math.max(...ys) - Math.min(...ys)) / 4;
      const d = random.next() < 0.65 ? random.range(0, reach) : reach + random.range(10, 60);
      const a = random.range(0, 2 * Math.PI);
      x += d * Math.cos(a);
      y += d * Math.sin(a);
    }
    const [lon, lat] = frame.toLonLat(x, y);
    return { lon, lat, category, place: checkpoint.properties.name };
  }

  private alongRoad(): Spot {
    const { random, layout, roads } = this.ctx;
    const k = this.pickRoad(random);
    const line = this.roadLines[k];
    const { point, dir } = pointAlong(line, random.next() * polylineLength(line));
    const off = Math.max(-35, Math.min(35, random.normal() * 10));
    const [lon, lat] = layout.frame.toLonLat(point[0] - dir[1] * off, point[1] + dir[0] * off);
    const p = roads[k].feature.properties;
    const mix: CategoryMix = p.roadClass === 'alley' ? ALLEY_ISSUE_MIX : ROAD_ISSUE_MIX;
    const place = p.from && p.to && p.from !== p.to ? `${p.name}（${p.from}至${p.to}段）` : p.name;
    return { lon, lat, category: pickWeighted(mix, random), place };
  }

  private inGrid(): Spot {
    const { random, layout } = this.ctx;
    const cell = this.pickCell(random);
    const rings = this.locator.ringsOf(cell);
    const xs = rings[0].map((p) => p[0]);
    const ys = rings[0].map((p) => p[1]);
    for (;;) {
      const x = random.range(Math.min(...xs), Math.max(...xs));
      const y = random.range(Math.min(...ys), Math.max(...ys));
      if (this.locator.locate(x, y) !== cell) continue;
      const [lon, lat] = layout.frame.toLonLat(x, y);
      return { lon, lat, category: pickWeighted(GRID_ISSUE_MIX, random), place: this.ctx.gridNames[cell] };
    }
  }
}

/** The assignment without the place fields, as the demo's files were written. */
function withoutPlace(assignment: AssignmentResult): AssignmentResult {
  const { place: _place, excludedId: _excludedId, ...rest } = assignment;
  return rest;
}
