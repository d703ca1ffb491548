import type { IssueHistoryEntry } from '../../../core/issues/issue-schema';
import type { IssuePhoto } from '../../../core/issues/photo-schema';
import { photoUrl } from '../../api/photos';
import { useI18n } from '../../i18n/i18n';
import { PhotoGallery } from '../shared/photo-gallery';

/** Every photo of an issue in step order, with its kind. */
export function issuePhotos(history: readonly IssueHistoryEntry[]): IssuePhoto[] {
  return history.flatMap((h) => h.photos ?? []);
}

/**
 * The evidence section of the issue panel: the problem as reported beside the latest "after"
 * photo (what the verifier compares), then every photo in step order. Tapping any opens it large.
 */
export function IssueEvidence({ history }: { history: readonly IssueHistoryEntry[] }) {
  const { t } = useI18n();
  const photos = issuePhotos(history);
  const before = photos.find((p) => p.kind === 'before') ?? null;
  const after = [...photos].reverse().find((p) => p.kind === 'after') ?? null;
  return (
    <section className="issue-evidence" data-testid="issue-evidence">
      <h3>{t('evidence.title')}</h3>
      {photos.length === 0 ? (
        <p className="hint">{t('evidence.none')}</p>
      ) : (
        <>
          <div className="before-after" data-testid="before-after" aria-label={t('evidence.beforeAfter')}>
            <figure data-kind="before">
              {before ? <img src={photoUrl(before.photoId)} alt={t('photos.kind.before')} /> : <div className="photo-missing">{t('evidence.noBefore')}</div>}
              <figcaption>{t('photos.kind.before')}</figcaption>
            </figure>
            <figure data-kind="after">
              {after ? <img src={photoUrl(after.photoId)} alt={t('photos.kind.after')} /> : <div className="photo-missing">{t('evidence.noAfter')}</div>}
              <figcaption>{t('photos.kind.after')}</figcaption>
            </figure>
          </div>
          <PhotoGallery photos={photos} />
        </>
      )}
    </section>
  );
}
