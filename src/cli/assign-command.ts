/** `dutymap assign` — not written yet. */
export async function runAssign(_argv: string[]): Promise<number> {
  throw new Error('not implemented yet');
}
