import type { EChartsCoreOption } from 'echarts/core';
import type { SummaryResponse } from '../../../core/api/api-schema';

/** Colours of the dark screen, shared by the charts. */
export const CHART_COLOURS = {
  text: '#9fc3ff',
  axis: '#2a4a7a',
  split: 'rgba(60, 110, 190, 0.25)',
  new: '#ffb020',
  closed: '#20e3b2',
  open: '#ff6b4a',
} as const;

const axisLabel = (s: number) => ({ color: CHART_COLOURS.text, fontSize: 13 * s });

/** Daily new vs closed over the last 30 days: bars of new, a line of closed. */
export function dailyTrendOption(daily: SummaryResponse['daily'], names: { new: string; closed: string }): (scale: number) => EChartsCoreOption {
  return (s) => ({
    animation: false,
    grid: { left: 44 * s, right: 16 * s, top: 36 * s, bottom: 28 * s },
    legend: { top: 0, right: 8 * s, itemWidth: 16 * s, itemHeight: 10 * s, textStyle: { color: CHART_COLOURS.text, fontSize: 14 * s } },
    tooltip: { trigger: 'axis' },
    xAxis: {
      type: 'category',
      data: daily.map((d) => d.date.slice(5)),
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { show: false },
      axisLabel: { ...axisLabel(s), interval: 4 },
    },
    yAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: CHART_COLOURS.split } }, axisLabel: axisLabel(s) },
    series: [
      { name: names.new, type: 'bar', data: daily.map((d) => d.new), barWidth: '55%', itemStyle: { color: CHART_COLOURS.new, borderRadius: [3 * s, 3 * s, 0, 0] } },
      { name: names.closed, type: 'line', data: daily.map((d) => d.closed), smooth: true, symbolSize: 6 * s, lineStyle: { width: 3 * s, color: CHART_COLOURS.closed }, itemStyle: { color: CHART_COLOURS.closed } },
    ],
  });
}

/** Issues by category, open and closed stacked, the categories with most issues on top. */
export function categoryOption(
  byCategory: SummaryResponse['byCategory'],
  labelOf: (id: string, zh: string) => string,
  names: { open: string; closed: string },
): (scale: number) => EChartsCoreOption {
  const rows = [...byCategory].sort((a, b) => a.total - b.total); // ECharts draws the first category at the bottom
  return (s) => ({
    animation: false,
    grid: { left: 8 * s, right: 24 * s, top: 30 * s, bottom: 4 * s, containLabel: true },
    legend: { top: 0, right: 8 * s, itemWidth: 16 * s, itemHeight: 10 * s, textStyle: { color: CHART_COLOURS.text, fontSize: 14 * s } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: CHART_COLOURS.split } }, axisLabel: axisLabel(s) },
    yAxis: {
      type: 'category',
      data: rows.map((r) => labelOf(r.id, r.name)),
      axisLine: { lineStyle: { color: CHART_COLOURS.axis } },
      axisTick: { show: false },
      axisLabel: { ...axisLabel(s), fontSize: 12 * s, interval: 0 },
    },
    series: [
      { name: names.open, type: 'bar', stack: 'n', data: rows.map((r) => r.open), itemStyle: { color: CHART_COLOURS.open }, barWidth: '58%' },
      { name: names.closed, type: 'bar', stack: 'n', data: rows.map((r) => r.closed), itemStyle: { color: 'rgba(32, 227, 178, 0.55)' } },
    ],
  });
}
