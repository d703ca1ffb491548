/**
 * The parts of ECharts the large screen uses — line and bar charts on a grid with tooltip and
 * legend, drawn on canvas — registered once. Imported dynamically, so ECharts is its own chunk
 * and other views never load it.
 */
import { init, use as registerEchartsParts, type ECharts } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { LegacyGridContainLabel } from 'echarts/features';
import { CanvasRenderer } from 'echarts/renderers';

registerEchartsParts([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, LegacyGridContainLabel, CanvasRenderer]);

export { init };
export type { ECharts };
