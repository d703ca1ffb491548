import type { DistrictGeometry, Person, Unit } from './district-schema';

/**
 * Phone numbers of the people in a district (grid leaders and workers, road chiefs, 包联 leaders,
 * unit contacts) as anonymous readers see them: the first three and last four digits kept, the
 * others replaced by `*` (13812345678 → 138****5678; 0571-8765 4321 → 057*-**** 4321). Signed-in
 * users see the numbers; the server decides who gets which (DUTYMAP_PUBLIC_PHONES).
 */

/** A phone number with its middle digits masked; numbers of seven digits or fewer keep only the last two. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '').length;
  const keepHead = digits >= 8 ? 3 : 0;
  const keepTail = digits >= 8 ? 4 : 2;
  let seen = 0;
  return phone.replace(/\d/g, (d) => {
    seen++;
    return seen <= keepHead || seen > digits - keepTail ? d : '*';
  });
}

/** The person with a masked phone (the same object when it has none). */
export function maskPerson<P extends Partial<Person> | null | undefined>(person: P): P {
  if (!person || typeof person !== 'object' || typeof person.phone !== 'string') return person;
  return { ...person, phone: maskPhone(person.phone) };
}

/** Feature property keys that hold a person or a list of people. */
const PERSON_KEYS = ['leader', 'gridLeader', 'roadChief', 'contact'] as const;
const PEOPLE_KEYS = ['gridWorkers'] as const;

/** A feature's (or a unit's) properties with every person's phone masked; untouched when none has one. */
export function maskPeople<T extends Record<string, unknown>>(properties: T): T {
  let out: Record<string, unknown> | null = null;
  for (const key of PERSON_KEYS) {
    const value = properties[key] as Partial<Person> | null | undefined;
    if (value && typeof value === 'object' && typeof value.phone === 'string') (out ??= { ...properties })[key] = maskPerson(value);
  }
  for (const key of PEOPLE_KEYS) {
    const value = properties[key];
    if (Array.isArray(value) && value.some((p) => p && typeof p === 'object' && typeof (p as Person).phone === 'string')) {
      (out ??= { ...properties })[key] = value.map((p) => maskPerson(p as Person));
    }
  }
  return (out ?? properties) as T;
}

/** Units with masked contact phones. */
export function maskUnits(units: readonly Unit[]): Unit[] {
  return units.map((u) => maskPeople(u));
}

/** A feature with its people's phones masked (the same object when it has none). */
export function maskFeature<F extends { properties: Record<string, unknown> }>(feature: F): F {
  const properties = maskPeople(feature.properties);
  return properties === feature.properties ? feature : { ...feature, properties };
}

/** The whole district with every person's phone masked (features and units copied only where needed). */
export function maskDistrictPhones<D extends DistrictGeometry>(district: D): D {
  const layer = <F extends { properties: Record<string, unknown> }>(features: readonly F[]) => features.map((f) => maskFeature(f));
  return {
    ...district,
    units: maskUnits(district.units),
    streets: layer(district.streets),
    communities: layer(district.communities),
    grids: layer(district.grids),
    roads: layer(district.roads),
    checkpoints: layer(district.checkpoints),
  };
}
