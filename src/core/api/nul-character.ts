/**
 * Where the first text containing U+0000 (NUL) sits in a parsed request body, as a dotted path
 * ('' for the body itself), or null when there is none. PostgreSQL cannot store NUL in text and
 * no person types one, so both backends refuse such bodies alike with a 400 instead of one of
 * them failing with a 500 deep in a write.
 */
export function findNulCharacter(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    const childPath = path === '' ? key : `${path}.${key}`;
    if (key.includes('\u0000')) return childPath;
    const found = findNulCharacter(child, childPath);
    if (found !== null) return found;
  }
  return null;
}

/** The message a person reads when a body holds a NUL character. */
export function nulCharacterMessage(path: string): string {
  return `${path === '' ? 'the body' : path} contains the character U+0000 (NUL), which cannot be stored; remove it and send again`;
}
