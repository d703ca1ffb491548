/** `dutymap generate` — not written yet. */
export async function runGenerate(_argv: string[]): Promise<number> {
  throw new Error('not implemented yet');
}
