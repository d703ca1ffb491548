import { useCallback, useEffect, useState } from 'react';

/** A GPS fix: WGS-84 degrees (what the Geolocation API reports), accuracy in metres. */
export interface Fix {
  lon: number;
  lat: number;
  accuracyM: number;
}

/** One fresh position from the device (no cached fix), or the reason it failed. */
export function currentFix(): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject(new Error('no geolocation'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, accuracyM: p.coords.accuracy }),
      (error) => reject(new Error(error.message || 'position unavailable')),
      { enableHighAccuracy: true, maximumAge: 0, timeout: 20_000 },
    );
  });
}

/** The position the page shows and sorts by: located on mount and on request. */
export function usePosition() {
  const [fix, setFix] = useState<Fix | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  const locate = useCallback(async (): Promise<Fix | null> => {
    setLocating(true);
    try {
      const next = await currentFix();
      setFix(next);
      setError(null);
      return next;
    } catch (e) {
      setError((e as Error).message);
      return null;
    } finally {
      setLocating(false);
    }
  }, []);
  useEffect(() => {
    void locate();
  }, [locate]);
  return { fix, error, locating, locate };
}
