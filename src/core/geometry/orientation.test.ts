import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { side } from './orientation';

describe('side', () => {
  it('is positive on the left of a→b, negative on the right, 0 on the line (y north, x east)', () => {
    expect(side(0, 0, 1, 0, 0.5, 1)).toBeGreaterThan(0);
    expect(side(0, 0, 1, 0, 0.5, -1)).toBeLessThan(0);
    expect(side(0, 0, 1, 0, 7, 0) === 0).toBe(true);
  });

  it('changes sign when the line is reversed', () => {
    fc.assert(
      fc.property(fc.double({ min: 112, max: 116, noNaN: true }), fc.double({ min: 28, max: 32, noNaN: true }), fc.double({ min: 112, max: 116, noNaN: true }), fc.double({ min: 28, max: 32, noNaN: true }), fc.double({ min: 112, max: 116, noNaN: true }), fc.double({ min: 28, max: 32, noNaN: true }), (ax, ay, bx, by, cx, cy) => {
        expect(Math.sign(side(ax, ay, bx, by, cx, cy))).toBe(-Math.sign(side(bx, by, ax, ay, cx, cy)) || 0);
      }),
      { numRuns: 1000, seed: 6 },
    );
  });

  it('gets the sign right near the line, where the plain floating-point cross product does not', () => {
    // Lon/lat doubles are dyadic rationals: scaled by 2^48 they are integers, and BigInt gives the
    // exact cross product to compare with.
    const exact = (v: number) => BigInt(v * 2 ** 48);
    const exactSign = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => {
      const d = (exact(bx) - exact(ax)) * (exact(cy) - exact(ay)) - (exact(by) - exact(ay)) * (exact(cx) - exact(ax));
      return d > 0n ? 1 : d < 0n ? -1 : 0;
    };
    let plainWrong = 0;
    for (let i = 0; i < 64; i++) {
      for (let j = 0; j < 64; j++) {
        const [ax, ay, bx, by, cx, cy] = [114.1 + i * 2 ** -46, 30.1 + j * 2 ** -48, 114.2, 30.2, 114.3, 30.3];
        expect(Math.sign(side(ax, ay, bx, by, cx, cy)) || 0).toBe(exactSign(ax, ay, bx, by, cx, cy));
        if ((Math.sign((bx - ax) * (cy - ay) - (by - ay) * (cx - ax)) || 0) !== exactSign(ax, ay, bx, by, cx, cy)) plainWrong++;
      }
    }
    expect(plainWrong).toBeGreaterThan(0);
  });
});
