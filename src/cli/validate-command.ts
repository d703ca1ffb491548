/** `dutymap validate` — not written yet. */
export async function runValidate(_argv: string[]): Promise<number> {
  throw new Error('not implemented yet');
}
