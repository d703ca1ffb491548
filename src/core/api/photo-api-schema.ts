import { z } from 'zod';
import { PhotoId } from '../issues/photo-schema';

/** The API's answer to a photo upload (PUT /api/photos/{id}): what was stored. */
export const PhotoResponse = z.object({
  id: PhotoId,
  mime: z.string(),
  bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  uploadedAt: z.string(),
  /** False when the same bytes were stored already (an upload retried after its answer was lost). */
  created: z.boolean(),
});
export type PhotoResponse = z.infer<typeof PhotoResponse>;

export const PhotoIdParam = z.object({ id: PhotoId });

/** POST /api/maintenance/sweep: what the sweep removed. */
export const SweepResponse = z.object({ photosRemoved: z.number().int(), filesRemoved: z.number().int(), tracksReduced: z.number().int() });
