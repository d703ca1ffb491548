import { useState } from 'react';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { ISSUE_MODES, type IssueMode, type LayerVisibility } from './issue-points';

const SWITCHABLE: (keyof LayerVisibility)[] = ['streets', 'communities', 'grids', 'roads', 'checkpoints', 'excluded', 'outline', 'issues'];

export interface LayerSwitcherProps {
  visible: LayerVisibility;
  onChange: (next: LayerVisibility) => void;
  issueMode: IssueMode;
  onIssueModeChange: (mode: IssueMode) => void;
  /** Offer the 天地图 basemap (only when a key is configured). */
  basemapAvailable: boolean;
}

/** Check boxes for the map layers and the issue drawing mode. */
export function LayerSwitcher({ visible, onChange, issueMode, onIssueModeChange, basemapAvailable }: LayerSwitcherProps) {
  const { t } = useI18n();
  const keys = basemapAvailable ? [...SWITCHABLE, 'basemap' as const] : SWITCHABLE;
  // Folded on a phone, where the map is small and the list would cover it.
  const [open] = useState(() => globalThis.matchMedia?.('(min-width: 600px)').matches ?? true);
  return (
    <details className="layer-switcher" open={open}>
      <summary>{t('map.layers')}</summary>
      {keys.map((key) => (
        <label key={key}>
          <input type="checkbox" checked={visible[key]} onChange={(e) => onChange({ ...visible, [key]: e.target.checked })} />
          {t(`layer.${key}` as MessageKey)}
        </label>
      ))}
      <fieldset disabled={!visible.issues}>
        <legend>{t('map.issueMode')}</legend>
        {ISSUE_MODES.map((mode) => (
          <label key={mode}>
            <input type="radio" name="issue-mode" value={mode} checked={issueMode === mode} onChange={() => onIssueModeChange(mode)} />
            {t(`map.issueMode.${mode}` as MessageKey)}
          </label>
        ))}
      </fieldset>
    </details>
  );
}
