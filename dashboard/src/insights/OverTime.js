// One figure of the analytics summary over the period's days, weeks or months: a chart, and its numbers as a table.
import { html } from '../ui.js';
import { Chart } from './Chart.js';
import { FiguresTable } from './FiguresTable.js';
import { bucketDays, bucketLabel } from './format.js';

/** `figure` names a field of the summary's figures (total_submissions, nps_score, …); `format` reads one. */
export function OverTime({ t, summary, figure, title, format, range, bars, whole, showTables }) {
  const locale = t.locale;
  const buckets = summary.buckets || [];
  const values = buckets.map(b => b[figure] ?? null);
  const period = t.periods[summary.period];
  const shown = values.filter(v => v != null);
  return html`<section class="over-time">
    <h3>${title}</h3>
    ${shown.length === 0 ? html`<p class="empty">${t.noValues}</p>` : html`
      <${Chart} labels=${buckets.map(b => bucketLabel(locale, b, summary.group_by))} values=${values} format=${format} range=${range} bars=${bars} whole=${whole}
        summary=${t.summary(title, period, format(Math.min(...shown)), format(Math.max(...shown)), format(shown[shown.length - 1]))} />
      <${FiguresTable} caption=${t.caption(title, period)} header=${t.groups[summary.group_by]} valueHeader=${title} visible=${showTables}
        rows=${buckets.map((b, i) => [bucketDays(locale, b), format(values[i])])} total=${[t.wholePeriod, format(summary.totals[figure])]} />`}
  </section>`;
}
