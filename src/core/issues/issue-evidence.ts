import type { IssueAction } from './issue-schema';
import { MAX_PHOTOS_PER_STEP, type PhotoKind } from './photo-schema';

/**
 * Which photos an issue's steps carry and which they must carry: the rules of evidence shared by
 * the server (which enforces them), the client (which asks for the photo before sending) and the
 * mocks. A rectification is proven by an "after" photo (a per-category policy, on by default).
 */

type Action = Exclude<IssueAction, 'report'> | 'report';

/** The kind of the photos a step attaches; null for steps that take no photos. */
export function photoKindFor(action: Action): PhotoKind | null {
  switch (action) {
    case 'report':
      return 'before';
    case 'submit':
      return 'after';
    case 'verify':
    case 'reject':
    case 'reopen':
      return 'verify';
    default:
      return null;
  }
}

/**
 * Which categories may be submitted as rectified without an "after" photo. The default (nothing
 * exempt) asks for one in every category; `'*'` exempts every category.
 */
export interface EvidencePolicy {
  afterPhotoExempt: readonly string[] | '*';
}

export const DEFAULT_EVIDENCE_POLICY: EvidencePolicy = { afterPhotoExempt: [] };

/** Whether submitting an issue of `category` as rectified needs at least one "after" photo. */
export function requiresAfterPhoto(policy: EvidencePolicy, category: string): boolean {
  return policy.afterPhotoExempt !== '*' && !policy.afterPhotoExempt.includes(category);
}

/** Why a step's photos are refused: a code for the UI and a Chinese-first message a person can act on. */
export interface EvidenceProblem {
  reason: 'after_photo_required' | 'photos_not_taken' | 'too_many_photos';
  message: string;
}

/**
 * Checks the photos of one step: at most MAX_PHOTOS_PER_STEP, none on a step that takes none,
 * and at least one on a submit when the category's policy asks for it. Null when they are fine.
 */
export function evidenceProblem(action: Action, category: string, photoCount: number, policy: EvidencePolicy = DEFAULT_EVIDENCE_POLICY): EvidenceProblem | null {
  if (photoCount > MAX_PHOTOS_PER_STEP) {
    return { reason: 'too_many_photos', message: `每次最多 ${MAX_PHOTOS_PER_STEP} 张照片（收到 ${photoCount} 张）；at most ${MAX_PHOTOS_PER_STEP} photos per step` };
  }
  if (photoCount > 0 && photoKindFor(action) === null) {
    return { reason: 'photos_not_taken', message: `“${action}”这一步不附照片；photos cannot be attached to ${action}` };
  }
  if (action === 'submit' && photoCount === 0 && requiresAfterPhoto(policy, category)) {
    return { reason: 'after_photo_required', message: '提交整改需附至少一张整改后照片；submitting as rectified needs at least one "after" photo' };
  }
  return null;
}
