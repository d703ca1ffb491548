import { useState, type FormEvent } from 'react';
import { POINT_CRS, type PointCrs } from '../../../core/geometry/crs-convert';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import { parseCoordinatePair, validCoordinate, type LookupLocation } from './location-url';

/**
 * Typed coordinates in WGS-84, GCJ-02 or BD-09: two fields, or a pasted pair ("114.3, 30.5") in
 * the longitude field. The server converts to WGS-84.
 */
export function CoordinateForm({ initial, onSubmit }: { initial: LookupLocation | null; onSubmit: (location: LookupLocation) => void }) {
  const { t } = useI18n();
  const [lon, setLon] = useState(initial ? String(initial.lon) : '');
  const [lat, setLat] = useState(initial ? String(initial.lat) : '');
  const [crs, setCrs] = useState<PointCrs>(initial?.crs ?? 'gcj02');
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const pair = parseCoordinatePair(lon);
    const [x, y] = pair ?? [Number(lon), Number(lat)];
    if (lon.trim() === '' || (!pair && lat.trim() === '') || !validCoordinate(x, y)) {
      setError(t('lookup.coordInvalid'));
      return;
    }
    setError(null);
    if (pair) {
      setLon(String(x));
      setLat(String(y));
    }
    onSubmit({ lon: x, lat: y, crs });
  };

  return (
    <form className="coordinate-form" onSubmit={submit} noValidate aria-label={t('lookup.coords')}>
      <div className="row">
        <label>
          {t('lookup.lon')}
          <input name="lon" inputMode="decimal" value={lon} onChange={(e) => setLon(e.target.value)} aria-invalid={!!error} />
        </label>
        <label>
          {t('lookup.lat')}
          <input name="lat" inputMode="decimal" value={lat} onChange={(e) => setLat(e.target.value)} aria-invalid={!!error} />
        </label>
      </div>
      <div className="row">
        <label>
          {t('lookup.crs')}
          <select name="crs" value={crs} onChange={(e) => setCrs(e.target.value as PointCrs)}>
            {POINT_CRS.map((c) => (
              <option key={c} value={c}>
                {t(`lookup.crs.${c}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('lookup.go')}
        </button>
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
