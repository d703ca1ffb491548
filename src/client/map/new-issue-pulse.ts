import { Marker, type Map as MapLibreMap } from 'maplibre-gl';

/** How long a new issue's rings show (the CSS animation runs three times within it). */
export const PULSE_MS = 6000;
/** At most this many pulses at once: a burst of imports must not bury the map in rings. */
export const MAX_PULSES = 30;

/**
 * Rings that spread out at the place of newly reported issues for a few seconds, then disappear.
 * DOM markers with a CSS animation: no WebGL state to lose, nothing left behind — every marker
 * and timer is removed when it ends or when `clear()` runs.
 */
export interface IssuePulses {
  add(points: readonly { id: string; lon: number; lat: number; overdue?: boolean; photo?: string }[]): void;
  /** How many pulses are showing now (tests: nothing piles up). */
  readonly size: number;
  clear(): void;
}

export function createIssuePulses(map: MapLibreMap): IssuePulses {
  const live = new Map<string, { marker: Marker; timer: ReturnType<typeof setTimeout> }>();
  const end = (id: string) => {
    const pulse = live.get(id);
    if (!pulse) return;
    clearTimeout(pulse.timer);
    pulse.marker.remove();
    live.delete(id);
  };
  return {
    add(points) {
      for (const p of points.slice(0, MAX_PULSES)) {
        end(p.id);
        if (live.size >= MAX_PULSES) end(live.keys().next().value!);
        const element = document.createElement('div');
        element.className = `issue-pulse${p.overdue ? ' overdue' : ''}`;
        element.setAttribute('data-issue-id', p.id);
        element.innerHTML = '<span></span><span></span><i></i>';
        if (p.photo) {
          // The issue's photo beside the rings for as long as they show.
          const img = document.createElement('img');
          img.className = 'pulse-photo';
          img.src = p.photo;
          img.alt = '';
          element.appendChild(img);
        }
        const marker = new Marker({ element }).setLngLat([p.lon, p.lat]).addTo(map);
        live.set(p.id, { marker, timer: setTimeout(() => end(p.id), PULSE_MS) });
      }
    },
    get size() {
      return live.size;
    },
    clear() {
      for (const id of [...live.keys()]) end(id);
    },
  };
}
