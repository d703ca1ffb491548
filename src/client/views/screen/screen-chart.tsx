import { useEffect, useRef, useState } from 'react';
import type { EChartsCoreOption } from 'echarts/core';
import { useI18n } from '../../i18n/i18n';
import { designScale } from './use-screen-scale';
import type { ECharts } from './echarts-setup';

/**
 * One ECharts chart: ECharts loads on first use (its own chunk); the chart is created once, fed
 * new options in place (`setOption` merges: no flicker, no new instance per refresh), resized with
 * its box and disposed on unmount. `option(scale)` gets CSS pixels per design pixel so that text and
 * lines grow with the screen.
 */
export function ScreenChart({ option, className, testId }: { option: ((scale: number) => EChartsCoreOption) | null; className?: string; testId?: string }) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ECharts | null>(null);
  const [ready, setReady] = useState(false);
  const [failed, setFailed] = useState(false);
  const [scale, setScale] = useState(designScale);

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    let disposed = false;
    let observer: ResizeObserver | null = null;
    import('./echarts-setup')
      .then(({ init }) => {
        if (disposed) return;
        chart.current = init(element, undefined, { renderer: 'canvas' });
        observer = new ResizeObserver(() => {
          chart.current?.resize();
          setScale(designScale());
        });
        observer.observe(element);
        setReady(true);
      })
      .catch((error: unknown) => {
        console.warn('chart failed to load:', error);
        setFailed(true);
      });
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!ready || !chart.current || !option) return;
    chart.current.setOption(option(scale));
  }, [ready, option, scale]);

  return (
    <div className={`screen-chart ${className ?? ''}`} data-testid={testId} data-ready={ready || undefined}>
      <div ref={box} className="screen-chart-canvas" />
      {failed && <div className="panel-empty">{t('screen.trend.failed')}</div>}
      {!option && !failed && <div className="panel-empty">{t('screen.trend.empty')}</div>}
    </div>
  );
}
