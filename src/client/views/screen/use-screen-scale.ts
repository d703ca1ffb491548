import { useEffect, useState } from 'react';

/** The class on <html> that makes 1rem one sixteenth of 1/120 of the screen (screen.css). */
export const SCREEN_SCALE_CLASS = 'screen-scaled';

/**
 * The large screen is designed on a 1920×1080 canvas in rem; while it is shown, the root font size
 * follows the viewport (1rem = 16 design pixels, scaled to fit), so 2560×1440 and 3840×2160 get the
 * same layout with sharper pixels — the map and charts render at the real resolution, and pointer
 * positions are true (no CSS transform). Other views keep the normal root size.
 */
export function useScreenScale(): void {
  useEffect(() => {
    const root = document.documentElement;
    root.classList.add(SCREEN_SCALE_CLASS);
    return () => root.classList.remove(SCREEN_SCALE_CLASS);
  }, []);
}

/** CSS pixels per design pixel now (the root font size ÷ 16). */
export function designScale(): number {
  if (typeof document === 'undefined') return 1;
  const size = parseFloat(getComputedStyle(document.documentElement).fontSize);
  return Number.isFinite(size) && size > 0 ? size / 16 : 1;
}

/** designScale(), kept current when the window (or the display) changes size. */
export function useDesignScale(): number {
  const [scale, setScale] = useState(designScale);
  useEffect(() => {
    const update = () => setScale(designScale());
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
  return scale;
}
