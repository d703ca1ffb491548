import type { IssueCursor, IssueSort } from '../storage/repository';

/**
 * Cursors are opaque to clients: base64url of `sort|value|seq`. Binding the sort into the cursor
 * lets the server refuse a cursor reused with another sort instead of returning a wrong page.
 */
export function encodeCursor(sort: IssueSort, cursor: IssueCursor): string {
  return Buffer.from(`${sort}|${cursor.value}|${cursor.seq}`).toString('base64url');
}

/** The cursor's position, or null when it is malformed or made for another sort. */
export function decodeCursor(text: string, sort: IssueSort): IssueCursor | null {
  const [s, value, seq] = Buffer.from(text, 'base64url').toString('utf8').split('|');
  const v = Number(value);
  const q = Number(seq);
  if (s !== sort || !Number.isFinite(v) || !Number.isInteger(q) || value === '' || seq === '') return null;
  return { value: v, seq: q };
}
