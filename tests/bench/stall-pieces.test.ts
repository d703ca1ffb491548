/**
 * The stall bench's reading of a CPU profile (mainThreadPieces): stretches of consecutive busy
 * samples inside the window, longest first, each with the server frames it was in.
 */
import { describe, expect, it } from 'vitest';
import { mainThreadPieces } from './stall-bench';

// root → (idle); root → handler (server code) → native read (a library); root → (garbage collector).
const nodes = [
  { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 }, children: [2, 3, 5] },
  { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
  { id: 3, callFrame: { functionName: 'pull', url: 'file:///app/src/server/services/export-service.ts', lineNumber: 9 }, children: [4] },
  { id: 4, callFrame: { functionName: 'next', url: 'file:///app/node_modules/better-sqlite3/lib/methods.js', lineNumber: 0 } },
  { id: 5, callFrame: { functionName: '(garbage collector)', url: '', lineNumber: -1 } },
];

describe('mainThreadPieces', () => {
  it('splits the samples at idle ones, keeps the window, and names the server frames', () => {
    // One sample every 250 µs from t = 1,000,000 µs: busy ×3, idle, busy ×1, idle, busy ×6 (the last two after the window).
    const samples = [4, 4, 5, 2, 3, 2, 4, 4, 3, 3, 4, 4];
    const profile = { nodes, startTime: 1_000_000, samples, timeDeltas: samples.map(() => 250) };
    const pieces = mainThreadPieces(profile, 1_000_000, 1_002_500);
    expect(pieces.map((p) => p.cpuMs)).toEqual([1, 0.8, 0.3]);
    // The first stretch inside the window: four samples, the server's pull around the library's read.
    expect(pieces[0]!.where).toEqual([
      { frames: 'pull src/server/services/export-service.ts:10', cpuMs: 1 },
    ]);
    expect(pieces[0]!.wallMs).toBe(0.8);
    // The garbage collector has no server frame: it is named itself.
    expect(pieces[1]!.where).toEqual([
      { frames: 'pull src/server/services/export-service.ts:10', cpuMs: 0.5 },
      { frames: '(garbage collector)', cpuMs: 0.3 },
    ]);
  });
});
