import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './issue-cursor';

describe('issue cursors', () => {
  it('round-trip and refuse another sort or garbage', () => {
    const text = encodeCursor('-reportedAt', { value: 1_763_000_000_000, seq: 42 });
    expect(decodeCursor(text, '-reportedAt')).toEqual({ value: 1_763_000_000_000, seq: 42 });
    expect(decodeCursor(text, 'deadline')).toBeNull();
    expect(decodeCursor('not-a-cursor', '-reportedAt')).toBeNull();
    expect(decodeCursor('', '-reportedAt')).toBeNull();
  });
});
