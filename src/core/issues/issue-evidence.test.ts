import { describe, expect, it } from 'vitest';
import { evidenceProblem, photoKindFor, requiresAfterPhoto } from './issue-evidence';

describe('the rules of evidence', () => {
  it('gives each step its kind of photo: report before, submit after, verification steps verify', () => {
    expect(photoKindFor('report')).toBe('before');
    expect(photoKindFor('submit')).toBe('after');
    expect(['verify', 'reject', 'reopen'].map((a) => photoKindFor(a as 'verify'))).toEqual(['verify', 'verify', 'verify']);
    expect(photoKindFor('assign')).toBeNull();
  });

  it('asks for an after photo on submit unless the category is exempt', () => {
    expect(evidenceProblem('submit', 'exposed_garbage', 0)?.reason).toBe('after_photo_required');
    expect(evidenceProblem('submit', 'exposed_garbage', 0)?.message).toMatch(/^提交整改需附至少一张整改后照片/);
    expect(evidenceProblem('submit', 'exposed_garbage', 1)).toBeNull();
    expect(evidenceProblem('submit', 'exposed_garbage', 0, { afterPhotoExempt: ['exposed_garbage'] })).toBeNull();
    expect(requiresAfterPhoto({ afterPhotoExempt: '*' }, 'road_damage')).toBe(false);
    expect(evidenceProblem('start', 'exposed_garbage', 0)).toBeNull();
  });

  it('refuses photos on steps that take none, and more than six', () => {
    expect(evidenceProblem('assign', 'exposed_garbage', 1)?.reason).toBe('photos_not_taken');
    expect(evidenceProblem('report', 'exposed_garbage', 7)?.reason).toBe('too_many_photos');
    expect(evidenceProblem('report', 'exposed_garbage', 6)).toBeNull();
  });
});
