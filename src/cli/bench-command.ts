/** `dutymap bench` — not written yet. */
export async function runBench(_argv: string[]): Promise<number> {
  throw new Error('not implemented yet');
}
