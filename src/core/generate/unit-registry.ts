import type { UnitKind } from '../district/catalog';
import type { Person, Unit } from '../district/district-schema';

/** The responsible units of a district as they are created, in creation order, ids unique. */
export class UnitRegistry {
  readonly units: Unit[] = [];
  private readonly byId = new Map<string, Unit>();

  /** Adds a unit and returns its id; throws on a duplicate id (a generator bug). */
  add(id: string, name: string, kind: UnitKind, contact?: Person): string {
    if (this.byId.has(id)) throw new Error(`duplicate unit id ${id}`);
    const unit: Unit = contact ? { id, name, kind, contact } : { id, name, kind };
    this.units.push(unit);
    this.byId.set(id, unit);
    return id;
  }

  /** The unit with this id; throws when there is none. */
  get(id: string): Unit {
    const unit = this.byId.get(id);
    if (!unit) throw new Error(`unknown unit ${id}`);
    return unit;
  }
}
