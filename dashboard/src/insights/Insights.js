// Insights: the analytics summary of a period (headline figures, and each figure per day, week or month as a chart with
// its numbers as a table) and the surveys' results per question. Reads GET /v1/analytics/summary and /v1/surveys.
import './insights.css';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Problem } from '../ui.js';
import { formats } from './format.js';
import { OverTime } from './OverTime.js';
import { SurveyResults } from './SurveyResults.js';

const PERIODS = ['7d', '30d', '90d'];
const GROUPS = ['day', 'week', 'month'];
/** Until the grouping is chosen it follows the period: about 7 to 31 bars. */
const DEFAULT_GROUP = { '7d': 'day', '30d': 'day', '90d': 'week' };

/** /app/insights */
export function Insights({ t: shell }) {
  const t = shell.insights;
  const [period, setPeriod] = useState('30d');
  const [chosenGroup, setGroupBy] = useState(null);
  const groupBy = chosenGroup ?? DEFAULT_GROUP[period];
  const [showTables, setShowTables] = useState(false);
  const [summary, setSummary] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    let current = true;
    setError(null);
    api('GET', `/v1/analytics/summary?period=${period}&group_by=${groupBy}`)
      .then(answer => { if (current) setSummary(answer.data); })
      .catch(e => { if (current) setError(e); });
    return () => { current = false; };
  }, [period, groupBy]);

  return html`<main class="insights">
    <h1>${t.title}</h1>
    <form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.period} <select value=${period} onChange=${e => setPeriod(e.target.value)}>
        ${PERIODS.map(p => html`<option value=${p}>${t.periods[p]}</option>`)}
      </select></label>
      <label>${t.groupBy} <select value=${groupBy} onChange=${e => setGroupBy(e.target.value)}>
        ${GROUPS.map(g => html`<option value=${g}>${t.groups[g]}</option>`)}
      </select></label>
      <label class="toggle"><input type="checkbox" checked=${showTables} onChange=${e => setShowTables(e.target.checked)} /> ${t.showTables}</label>
    </form>
    <${Problem} error=${error} />
    ${summary ? html`<${Summary} t=${t} summary=${summary} showTables=${showTables} />` : !error && html`<p>${shell.loading}</p>`}
    <${SurveyResults} t=${t} showTables=${showTables} />
  </main>`;
}

/** The period's headline figures and each figure over time; a clear message when nothing came in. */
function Summary({ t, summary, showTables }) {
  const f = formats(t.locale);
  const totals = summary.totals;
  if (totals.total_submissions === 0 && totals.nps_score == null && totals.csat_average == null) {
    return html`<p class="empty" role="status">${t.nothingInPeriod}</p>`;
  }
  const chart = props => html`<${OverTime} t=${t} summary=${summary} showTables=${showTables} ...${props} />`;
  return html`
    <section aria-labelledby="at-a-glance"><h2 id="at-a-glance">${t.atAGlance}</h2>
      <dl class="headline">
        <div><dt>${t.submissions}</dt><dd>${f.count(totals.total_submissions)}</dd></div>
        <div><dt>${t.averageRating}</dt><dd>${f.rating(totals.average_rating)}</dd></div>
        <div><dt>${t.responseRate}</dt><dd>${f.share(totals.response_rate)}</dd><dd class="hint">${t.responseRateHint}</dd></div>
        <div><dt>${t.timeToResolve}</dt><dd>${f.hours(totals.median_time_to_resolve_hours)}</dd></div>
        <div><dt>${t.nps}</dt><dd>${f.nps(totals.nps_score)}</dd></div>
        <div><dt>${t.csat}</dt><dd>${f.rating(totals.csat_average)}</dd></div>
      </dl>
    </section>
    <section aria-labelledby="over-time"><h2 id="over-time">${t.overTime}</h2>
      <div class="charts">
        ${chart({ figure: 'total_submissions', title: t.submissionsPer[summary.group_by], format: f.count, bars: true, whole: true })}
        ${chart({ figure: 'nps_score', title: t.nps, format: f.nps, range: [-100, 100] })}
        ${chart({ figure: 'csat_average', title: t.csat, format: f.rating, range: (u, min, max) => [0, Math.max(5, Math.ceil(max ?? 5))] })}
        ${chart({ figure: 'average_rating', title: t.averageRating, format: f.rating, range: [0, 5] })}
        ${chart({ figure: 'response_rate', title: t.responseRate, format: f.share, range: [0, 1] })}
        ${chart({ figure: 'median_time_to_resolve_hours', title: t.timeToResolve, format: f.hours })}
      </div>
    </section>`;
}
