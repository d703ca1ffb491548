import type { Random } from './random';
import { PLACE_WORDS } from './name-pools';

const DIRECTIONS = ['东', '西', '南', '北', '新', '前', '后', '上', '下', '中'] as const;

/**
 * Hands out place words that no other name with the same suffix has used, in a shuffled order.
 * When the pool runs dry (only in large benchmark districts) it prefixes a direction character
 * (东/西/南/北/新…), then a number, so names stay unique at any scale.
 */
export class UniqueNamer {
  private readonly used = new Set<string>();
  private readonly words: string[];

  constructor(random: Random) {
    this.words = random.shuffle(PLACE_WORDS);
  }

  /** A new name ending in `suffix` (e.g. 街道, 社区, 路), starting with the preferred word if still free. */
  next(suffix: string, preferred?: string): string {
    if (preferred !== undefined && this.claim(preferred + suffix)) return preferred + suffix;
    for (const word of this.words) if (this.claim(word + suffix)) return word + suffix;
    for (const direction of DIRECTIONS) for (const word of this.words) if (this.claim(direction + word + suffix)) return direction + word + suffix;
    for (let n = 2; ; n++) for (const word of this.words) if (this.claim(`${word}${n}${suffix}`)) return `${word}${n}${suffix}`;
  }

  /** Marks a full name as taken; false when it already was. */
  claim(name: string): boolean {
    if (this.used.has(name)) return false;
    this.used.add(name);
    return true;
  }
}
