import { useEffect, useRef, useState } from 'react';
import type { ApiWalk, WalkSample } from '../../../core/patrol/patrol-schema';
import { sendWalkSamples } from '../../api/patrol';
import { currentFix } from './use-position';

/**
 * Samples the position every `seconds` while a walk is open and the page is visible (only while
 * the page is open: no background tracking), and sends each sample at once; samples that could
 * not be sent wait and go with the next (the server stores a time once, so a resend is safe).
 * Returns the server's running figures of the walk and whether sampling is paused.
 */
export function useWalkSampler(walk: ApiWalk | null, seconds: number, onUpdate: (walk: ApiWalk) => void) {
  const [paused, setPaused] = useState(false);
  const [taken, setTaken] = useState(0);
  const pending = useRef<WalkSample[]>([]);
  const update = useRef(onUpdate);
  update.current = onUpdate;
  const walkId = walk && walk.status === 'open' ? walk.id : null;

  useEffect(() => {
    if (!walkId) return;
    pending.current = [];
    setTaken(0);
    let stopped = false;
    let busy = false;
    const tick = async () => {
      if (busy || stopped) return;
      if (document.visibilityState === 'hidden') {
        setPaused(true);
        return;
      }
      setPaused(false);
      busy = true;
      try {
        const fix = await currentFix();
        if (stopped) return;
        pending.current.push({ at: new Date().toISOString(), lon: fix.lon, lat: fix.lat, accuracyM: fix.accuracyM });
        setTaken((n) => n + 1);
        const batch = pending.current.slice(0, 200);
        const next = await sendWalkSamples(walkId, batch);
        pending.current = pending.current.slice(batch.length);
        if (!stopped) update.current(next);
      } catch {
        // No fix or no connection this time: the next tick tries again.
      } finally {
        busy = false;
      }
    };
    void tick();
    const timer = setInterval(() => void tick(), seconds * 1000);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [walkId, seconds]);

  return { paused, taken, unsent: () => pending.current.length };
}
