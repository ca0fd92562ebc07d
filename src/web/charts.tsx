import { createHash } from 'node:crypto';
import { parse, View, type Runtime } from 'vega';
import { compile, type Config, type TopLevelSpec } from 'vega-lite';
import { Table } from './components';
import { webMessages } from './messages';

/**
 * Charts drawn on the server as SVG by Vega-Lite (no script in the page). The
 * 5.x line of vega and vega-lite ships CommonJS builds, which Node 20 and jest
 * load as they are (the 6.x line is ES modules only). Each bar or point carries
 * its amount written out, so a chart reads without colour; the same numbers
 * follow as a table for screen readers.
 */
export type ChartPoint = { label: string; value: number; shown: string };

const frenchLocale = {
  number: { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0€'] as [string, string] },
};
const chartConfig: Config = {
  locale: frenchLocale,
  font: 'system-ui, sans-serif',
  axis: { labelFontSize: 12, titleFontSize: 12, labelLimit: 220 },
  view: { stroke: null },
};

/** Horizontal bars, one per row, each with its amount at its end (a pool's use, the files per stage). */
export function barChartSpec(points: readonly ChartPoint[], description: string): TopLevelSpec {
  const largest = Math.max(1, ...points.map((point) => point.value));
  return {
    description,
    width: 420,
    height: { step: 34 },
    data: { values: points.map((point) => ({ ...point })) },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null },
      // Room to the right for the longest amount written after its bar.
      x: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, largest * 1.45] }, axis: null },
    },
    layer: [
      { mark: { type: 'bar', color: '#1f6f5c', height: 22 } },
      { mark: { type: 'text', align: 'left', dx: 6, fontSize: 12 }, encoding: { text: { field: 'shown' } } },
    ],
    config: chartConfig,
  };
}

/** A line through the months, each point with its amount above it (a bank balance over the year). */
export function lineChartSpec(points: readonly ChartPoint[], description: string): TopLevelSpec {
  // A point's amount is written where it changed, and at the end: twelve equal labels side by side would not read.
  const values = points.map((point, order) => ({
    ...point,
    order,
    written: order === points.length - 1 || point.value !== points[order - 1]?.value ? point.shown : '',
  }));
  return {
    description,
    width: 640,
    height: 200,
    data: { values },
    encoding: {
      x: { field: 'label', type: 'ordinal', sort: { field: 'order' }, title: null, axis: { labelAngle: -40 } },
      y: { field: 'value', type: 'quantitative', title: null, axis: { format: ',.0f' } },
    },
    layer: [
      { mark: { type: 'line', color: '#1f6f5c', point: { filled: true, size: 40 } } },
      {
        mark: { type: 'text', dy: -12, fontSize: 11 },
        encoding: { text: { field: 'written' } },
      },
    ],
    config: chartConfig,
  };
}

/** Several lines through the same periods, told apart by colour and by dash, with a legend (NAV and paid-in). */
export function seriesChartSpec(
  points: readonly { label: string; series: string; value: number }[],
  description: string,
): TopLevelSpec {
  return {
    description,
    width: 460,
    height: 180,
    data: { values: points.map((point, order) => ({ ...point, order })) },
    mark: { type: 'line', point: { filled: true, size: 30 } },
    encoding: {
      x: { field: 'label', type: 'ordinal', sort: null, title: null, axis: { labelAngle: -40 } },
      y: { field: 'value', type: 'quantitative', title: null, axis: { format: ',.0f' } },
      color: {
        field: 'series',
        type: 'nominal',
        sort: null,
        title: null,
        scale: { range: ['#1f6f5c', '#b5651d'] },
        legend: { orient: 'bottom' },
      },
      strokeDash: { field: 'series', type: 'nominal', sort: null },
    },
    config: chartConfig,
  };
}

const drawn = new Map<string, Promise<string>>();
const drawnKeptMax = 200;
const dataSource = 'points';
const compiled = new Map<string, Runtime>();
const compiledKeptMax = 20;
const keyOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('base64url');

/**
 * A chart's dataflow, compiled once per shape (the spec without its values):
 * compiling and parsing cost more than drawing, and a statement run draws the
 * same chart for every investor with other numbers.
 */
function runtimeOf(spec: TopLevelSpec): { runtime: Runtime; values: unknown[] } {
  const { data, ...shape } = spec as TopLevelSpec & { data?: { values?: unknown[] } };
  const key = keyOf(shape);
  let runtime = compiled.get(key);
  if (!runtime) {
    runtime = parse(compile({ ...shape, data: { name: dataSource } }).spec);
    if (compiled.size >= compiledKeptMax) compiled.delete(compiled.keys().next().value as string);
    compiled.set(key, runtime);
  }
  return { runtime, values: data?.values ?? [] };
}

/** The SVG of a chart; the same data draws once (pages are asked for far more often than their numbers change). */
export function chartSvg(spec: TopLevelSpec): Promise<string> {
  const key = keyOf(spec);
  const known = drawn.get(key);
  if (known) return known;
  const svg = (async () => {
    const { runtime, values } = runtimeOf(spec);
    const view = new View(runtime, { renderer: 'none' }).data(dataSource, values);
    try {
      return await view.toSVG();
    } finally {
      view.finalize();
    }
  })();
  svg.catch(() => drawn.delete(key));
  if (drawn.size >= drawnKeptMax) drawn.delete(drawn.keys().next().value as string);
  drawn.set(key, svg);
  return svg;
}

const tableOpenRowsMax = 6;

/**
 * A chart and its numbers: its caption, the drawing, hidden from screen readers
 * (its text is the table's), then the table (folded when long): a row per
 * label, a column per series.
 */
export function Chart(props: {
  svg: string;
  caption: string;
  headers: readonly string[];
  points: readonly { label: string; shown: string | readonly string[] }[];
}) {
  return (
    <figure class="chart">
      <figcaption>{props.caption}</figcaption>
      {/* Vega escapes every text it writes into the SVG; the data are ours. */}
      <div class="chart-drawing" aria-hidden="true" dangerouslySetInnerHTML={{ __html: props.svg }} />
      <details open={props.points.length <= tableOpenRowsMax}>
        <summary>{webMessages.chartNumbers}</summary>
        <Table headers={props.headers}>
          {props.points.map((point) => (
            <tr key={point.label}>
              <td>{point.label}</td>
              {[point.shown].flat().map((shown, column) => (
                <td key={column} class="amount">
                  {shown}
                </td>
              ))}
            </tr>
          ))}
        </Table>
      </details>
    </figure>
  );
}
