/** True when an If-None-Match header matches `etag` (weak comparison, lists and * allowed). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = strip(etag);
  return ifNoneMatch.split(',').some((tag) => strip(tag) === wanted);
}

/**
 * Reads a version from If-Match: `"3"` or `W/"3"` or `3`. Returns null when the header is
 * absent, NaN when it is there but not a version (so the caller answers 412, not 428).
 */
export function versionFromIfMatch(ifMatch: string | undefined): number | null {
  if (ifMatch === undefined || ifMatch.trim() === '') return null;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(ifMatch);
  return match ? Number(match[1]) : NaN;
}
