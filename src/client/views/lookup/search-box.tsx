import { useDeferredValue, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { LayerParam } from '../../../core/api/api-schema';
import { unitsQueryOptions } from '../../api/units';
import { useI18n, type MessageKey } from '../../i18n/i18n';
import type { LayerCollection } from '../../map/map-data';
import { searchPlaces, type SearchHit } from './search-index';
import { useNameSearch } from '../shared/use-name-index';

const NO_UNITS: readonly never[] = [];

/**
 * Search by name, code, pinyin or initials (one wrong character forgiven) over the layers already
 * loaded for the map (no extra request per key).
 */
export function SearchBox({ geometry, onPick }: { geometry: Partial<Record<LayerParam, LayerCollection>>; onPick: (hit: SearchHit) => void }) {
  const { t } = useI18n();
  const units = useQuery(unitsQueryOptions()).data ?? NO_UNITS;
  const [text, setText] = useState('');
  const deferred = useDeferredValue(text);
  // Pinyin and the one-wrong-character search load when the box is first used, not with the page.
  const [used, setUsed] = useState(false);
  const nameSearch = useNameSearch(used);
  const hits = useMemo(() => searchPlaces(deferred, geometry, units, 8, nameSearch ?? undefined), [deferred, geometry, units, nameSearch]);
  return (
    <div className="search-box">
      <input
        type="search"
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls="search-results"
        aria-label={t('lookup.search')}
        placeholder={t('lookup.search')}
        value={text}
        onFocus={() => setUsed(true)}
        onChange={(e) => {
          setUsed(true);
          setText(e.target.value);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && hits[0]) {
            onPick(hits[0]);
            setText('');
          }
        }}
      />
      {deferred.trim() !== '' && (
        <ul id="search-results" role="listbox" className="search-results">
          {hits.length === 0 && <li className="empty">{t('lookup.searchNoResult')}</li>}
          {hits.map((hit) => (
            <li key={`${hit.kind}-${hit.id}`} role="option" aria-selected="false">
              <button
                type="button"
                onClick={() => {
                  onPick(hit);
                  setText('');
                }}
              >
                <span className="badge">{hit.kind === 'unit' ? t('lookup.unit') : t(`layer.${hit.kind}` as MessageKey)}</span>
                {hit.name}
                {hit.code && <span className="code">{hit.code}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
