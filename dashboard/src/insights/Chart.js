// One series drawn by uPlot (npm) on a canvas: a period's days, weeks or months as a line or bars, or a question's answers
// as horizontal bars. The canvas is an image to a screen reader, with a summary; its numbers are in a FiguresTable.
// uPlot sizes and places its elements through the CSSOM (element.style), which the dashboard's policy allows. Its code
// is loaded when the first chart is drawn (a chunk of its own: the inbox does not wait for it); its stylesheet is in app.css.
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import { html } from '../ui.js';

const INK = '#334155';
const GRID = '#e2e8f0';
const BLUE = '#1d4ed8';
const BLUE_FILL = 'rgba(29, 78, 216, 0.35)';
const FONT = '12px system-ui, -apple-system, "Segoe UI", sans-serif';
const HEIGHT = 220;

/**
 * labels: the categories' names; values: a number or null each; format: a value as text (Intl);
 * summary: what the canvas says (role img); range: the value axis' [min, max] or a function of the data's;
 * bars: bars instead of a line; horizontal: categories down the side (long answer texts); whole: counts (no ticks between).
 */
export function Chart({ labels, values, format, summary, range, bars = false, horizontal = false, whole = false }) {
  const box = useRef(null);
  useEffect(() => {
    const element = box.current;
    let chart = null;
    let gone = false;
    const resized = new ResizeObserver(() => chart?.setSize(size(element, labels, horizontal)));
    import('uplot').then(({ default: uPlot }) => {
      if (gone) return;
      chart = new uPlot(options(uPlot, { labels, format, range, bars, horizontal, whole, ...size(element, labels, horizontal) }),
        [labels.map((_, i) => i), values], element);
      chart.ctx.canvas.setAttribute('role', 'img');
      chart.ctx.canvas.setAttribute('aria-label', summary);
      resized.observe(element);
    }).catch(() => {
      // The chunk of a build this page predates is gone: the numbers are in the table; a reload brings the new build.
      if (!gone) element.textContent = reloadHint();
    });
    return () => { gone = true; resized.disconnect(); chart?.destroy(); };
  }, [labels.join('\n'), values.join(','), summary]);
  return html`<div class="chart" ref=${box}></div>`;
}

function size(element, labels, horizontal) {
  return { width: Math.max(element.clientWidth, 200), height: horizontal ? labels.length * 36 + 40 : HEIGHT };
}

function options(uPlot, { labels, format, range, bars, horizontal, whole, width, height }) {
  const categories = {
    stroke: INK, font: FONT, grid: { show: false }, ticks: { show: false },
    incrs: [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 50],
    space: horizontal ? 24 : 56,
    values: (u, splits) => splits.map(i => (Number.isInteger(i) ? shorten(labels[i] ?? '') : '')),
  };
  const amounts = {
    stroke: INK, font: FONT, grid: { stroke: GRID, width: 1 }, ticks: { stroke: GRID, width: 1 },
    values: (u, splits) => splits.map(format),
    ...(whole ? { incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000] } : {}),
    size: horizontal ? 32 : (u, values) => (values ? widest(values) + 18 : 50),
  };
  return {
    width, height,
    legend: { show: false },
    select: { show: false },
    cursor: { drag: { x: false, y: false, setScale: false } },
    scales: {
      x: { time: false, range: [-0.5, labels.length - 0.5], ...(horizontal ? { ori: 1, dir: -1 } : {}) },
      y: { range: range || ((u, min, max) => [Math.min(0, min ?? 0), Math.max(1, max ?? 1)]), ...(horizontal ? { ori: 0 } : {}) },
    },
    axes: horizontal
      ? [{ ...categories, side: 3, size: () => widest(labels.map(shorten)) + 16 }, { ...amounts, side: 2 }]
      : [categories, amounts],
    series: [{}, {
      stroke: BLUE,
      width: 2,
      fill: bars ? BLUE_FILL : undefined,
      paths: bars ? uPlot.paths.bars({ size: [0.6, 56] }) : undefined,
      points: { show: !bars, size: 8, fill: BLUE },
    }],
  };
}

function shorten(text) {
  return text.length > 32 ? text.slice(0, 31) + '…' : text;
}

let measure = null;
/** The width of the widest text in the axes' font, in CSS pixels. */
function widest(texts) {
  measure ??= document.createElement('canvas').getContext('2d');
  measure.font = FONT;
  return Math.ceil(Math.max(0, ...texts.map(text => measure.measureText(String(text)).width)));
}

/** What a chart says when its library cannot load (a new build since this page was opened). */
function reloadHint() {
  return document.documentElement.lang === 'de' ? 'Das Diagramm lädt nicht – bitte die Seite neu laden.' : 'The chart cannot load — please reload the page.';
}
