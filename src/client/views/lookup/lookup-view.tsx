import { useEffect, useMemo, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useLocation, useSearch } from 'wouter';
import { ApiRequestError } from '../../api/http';
import { lookupQueryOptions } from '../../api/lookup';
import type { ClientConfig } from '../../config';
import { useI18n } from '../../i18n/i18n';
import type { MapFocus } from '../../map/lazy-district-map';
import { MapWorkspace } from '../shared/map-workspace';
import { useMapData } from '../shared/use-map-data';
import { AnswerCard } from './answer-card';
import { CoordinateForm } from './coordinate-form';
import { hasLocationParams, locationSearch, parseLocation, type LookupLocation } from './location-url';
import { ReportForm } from './report-form';
import { SearchBox } from './search-box';

/** GeolocationPositionError codes → what to tell the inspector. */
const GEO_ERRORS: Record<number, 'geo.denied' | 'geo.unavailable' | 'geo.timeout'> = { 1: 'geo.denied', 2: 'geo.unavailable', 3: 'geo.timeout' };

/**
 * `/lookup`, the inspector's view (phone first): tap the map, search, type coordinates or use GPS;
 * the answer card says who is responsible; "report an issue here" posts one at that point. The
 * location lives in the URL (`?lon=&lat=&crs=`), so a link reproduces the answer.
 */
export function LookupView({ config }: { config: ClientConfig }) {
  const { t } = useI18n();
  const search = useSearch();
  const [, navigate] = useLocation();
  const location = useMemo(() => parseLocation(search), [search]);
  const data = useMapData(config.refreshMs);
  const answer = useQuery(lookupQueryOptions(location));
  // `?report=1` (from the patrol page's "found a problem here") opens the report form at once.
  const [reporting, setReporting] = useState(() => new URLSearchParams(search).get('report') === '1');
  const [focus, setFocus] = useState<MapFocus | null>(null);
  const [gpsError, setGpsError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  const goTo = (next: LookupLocation, moveMap: boolean) => {
    setReporting(false);
    setCopied(false);
    navigate(`/lookup?${locationSearch(next)}`, { replace: true });
    if (moveMap && next.crs === 'wgs84') setFocus({ lon: next.lon, lat: next.lat, zoom: 15 });
  };
  const answerLon = answer.data?.point[0] ?? null;
  const answerLat = answer.data?.point[1] ?? null;
  // Every answer brings the map to its point (marked), close enough to see the street: a tap, a
  // search hit, typed coordinates (GCJ-02/BD-09 are only known in WGS-84 once the server answers), GPS.
  const focusFromAnswer = useMemo<MapFocus | null>(
    () => (answerLon !== null && answerLat !== null ? { lon: answerLon, lat: answerLat, zoom: 16 } : null),
    [answerLon, answerLat],
  );
  // On a phone the panel sits under the map: bring the answer, then the report form, into view.
  const answerRef = useRef<HTMLDivElement>(null);
  const formRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (answerLon !== null) answerRef.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [answerLon, answerLat]);
  useEffect(() => {
    if (reporting) formRef.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [reporting]);

  const useGps = () => {
    setGpsError(null);
    if (!navigator.geolocation) {
      setGpsError(t(globalThis.isSecureContext === false ? 'geo.insecure' : 'lookup.gpsUnavailable'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      // The Geolocation API reports WGS-84, whatever map app the phone has.
      (position) => goTo({ lon: position.coords.longitude, lat: position.coords.latitude, crs: 'wgs84' }, true),
      // The browser's own message is English ("User denied Geolocation"): say it in the UI's words.
      (error) => setGpsError(t(GEO_ERRORS[error.code] ?? 'geo.unavailable')),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };

  const share = async () => {
    try {
      await navigator.clipboard.writeText(globalThis.location.href);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };

  return (
    <div className="lookup-view">
      <MapWorkspace
        data={data}
        tiandituKey={config.tiandituKey}
        marker={answer.data?.point ?? null}
        focus={focusFromAnswer ?? focus}
        initialVisibility={{ issues: false }}
        className="lookup-map"
        onPointClick={([lon, lat]) => goTo({ lon, lat, crs: 'wgs84' }, false)}
      />
      <section className="lookup-panel" aria-label={t('lookup.title')}>
        <SearchBox geometry={data.geometry} onPick={(hit) => goTo({ lon: hit.point[0], lat: hit.point[1], crs: 'wgs84' }, true)} />
        <div className="lookup-actions">
          <details className="coords">
            <summary>{t('lookup.coords')}</summary>
            <CoordinateForm key={search} initial={location} onSubmit={(next) => goTo(next, true)} />
          </details>
          <button type="button" onClick={useGps}>
            {t('lookup.gps')}
          </button>
        </div>
        {gpsError && (
          <p className="field-error" role="alert">
            {gpsError}
          </p>
        )}
        {!location && hasLocationParams(search) && (
          <p className="field-error" role="alert">
            {t('lookup.linkInvalid')}
          </p>
        )}
        {!location && <p className="hint">{t('lookup.tapHint')}</p>}
        {!location &&
          (reporting ? (
            <ReportForm point={null} onCancel={() => setReporting(false)} />
          ) : (
            <button type="button" className="wide" onClick={() => setReporting(true)}>
              {t('report.photoReport')}
            </button>
          ))}
        {location && answer.isPending && <p className="hint">{t('status.loading')}</p>}
        {answer.error && (
          <p className="field-error" role="alert">
            {answer.error instanceof ApiRequestError && !answer.error.transient ? answer.error.message : t('status.offlineRetrying')}
          </p>
        )}
        {answer.data && (
          <div ref={answerRef} className="lookup-answer">
            <p className="point">
              {t('lookup.point', { lon: answer.data.point[0].toFixed(6), lat: answer.data.point[1].toFixed(6) })}{' '}
              <button type="button" className="link" onClick={() => void share()}>
                {copied ? t('lookup.copied') : t('lookup.share')}
              </button>
            </p>
            <AnswerCard answer={answer.data} />
            <div ref={formRef} className="lookup-report">
              {reporting ? (
                <ReportForm point={answer.data.point} onCancel={() => setReporting(false)} />
              ) : (
                <button type="button" className="primary wide" onClick={() => setReporting(true)}>
                  {t('lookup.report')}
                </button>
              )}
            </div>
          </div>
        )}
      </section>
    </div>
  );
}
