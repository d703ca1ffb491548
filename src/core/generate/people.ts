import type { Person } from '../district/district-schema';
import type { Random } from './random';
import { GIVEN_NAMES, SURNAMES } from './name-pools';

const PHONE_PREFIXES = ['1380000', '1390000', '1370000', '1360000', '1350000', '1500000', '1510000', '1880000'] as const;

/**
 * Makes fictional people: plausible Chinese names and 11-digit mobile numbers from reserved-looking
 * blocks (1380000xxxx and similar). Numbers are handed out once each, in a scrambled order, so no
 * two people share a phone.
 */
export class PeopleFactory {
  private issued = 0;

  constructor(private readonly random: Random) {}

  /** A random full name (surname + one- or two-character given name). */
  name(): string {
    return this.random.pick(SURNAMES) + this.random.pick(GIVEN_NAMES);
  }

  /** The next unused mobile number; throws after 80,000 people (far beyond a 10× district). */
  phone(): string {
    const n = this.issued++;
    const block = Math.floor(n / 10000);
    if (block >= PHONE_PREFIXES.length) throw new Error('out of fictional phone numbers');
    // 7919 is coprime with 10,000: the suffixes run through every value once, in a scrambled order.
    return PHONE_PREFIXES[block] + String(((n % 10000) * 7919 + 1234) % 10000).padStart(4, '0');
  }

  /** A person with a new name, the given title and a new phone number. */
  person(title?: string): Person {
    const name = this.name();
    return title === undefined ? { name, phone: this.phone() } : { name, title, phone: this.phone() };
  }
}
