// The surveys' results per question (GET /v1/surveys/{id}/results): a choice question's answers as bars with their
// numbers as a table, a rating's average, an NPS question's score, a text question's latest answers.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Problem } from '../ui.js';
import { Chart } from './Chart.js';
import { FiguresTable } from './FiguresTable.js';
import { formats } from './format.js';

export function SurveyResults({ t, showTables }) {
  const [surveys, setSurveys] = useState(null);
  const [surveyId, setSurveyId] = useState('');
  const [results, setResults] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    api('GET', '/v1/surveys').then(answer => {
      setSurveys(answer.data);
      setSurveyId((answer.data.find(s => s.status === 'live') || answer.data[0])?.id || '');
    }).catch(setError);
  }, []);

  useEffect(() => {
    if (!surveyId) return;
    let current = true;
    setResults(null);
    api('GET', `/v1/surveys/${encodeURIComponent(surveyId)}/results`)
      .then(answer => { if (current) setResults(answer.data); })
      .catch(e => { if (current) setError(e); });
    return () => { current = false; };
  }, [surveyId]);

  const survey = surveys?.find(s => s.id === surveyId);
  return html`<section class="survey-results" aria-labelledby="survey-results">
    <h2 id="survey-results">${t.surveys}</h2>
    <p class="hint">${t.surveysNote}</p>
    <${Problem} error=${error} />
    ${surveys?.length === 0 && html`<p class="empty">${t.noSurveys}</p>`}
    ${surveys?.length > 0 && html`<form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.survey} <select value=${surveyId} onChange=${e => setSurveyId(e.target.value)}>
        ${surveys.map(s => html`<option value=${s.id}>${s.name} (${t.surveyStatuses[s.status] || s.status})</option>`)}
      </select></label>
    </form>`}
    ${survey && results?.survey_id === survey.id && html`
      <p>${t.responses(results.responses)}</p>
      ${results.questions.map(q => html`<${Question} t=${t} survey=${survey} result=${q} showTables=${showTables} />`)}`}
  </section>`;
}

/** One question's results, titled in the dashboard's language when the survey has it. */
function Question({ t, survey, result, showTables }) {
  const f = formats(t.locale);
  const question = survey.questions?.find(q => q.id === result.question_id);
  const title = inLanguage(question?.title, t.locale, survey.default_language) || result.question_id;
  return html`<article class="question">
    <h3>${title}</h3>
    ${result.answered === 0 ? html`<p class="empty">${t.notAnswered}</p>` : html`
      <p class="hint">${t.answered(result.answered)}</p>
      ${result.option_counts && html`<${Options} t=${t} f=${f} title=${title} question=${question} survey=${survey} counts=${result.option_counts} showTables=${showTables} />`}
      ${result.type === 'rating' && html`<p class="figure">${t.averageRating}: <strong>${f.rating(result.average_rating)}</strong></p>`}
      ${result.type === 'nps' && html`<p class="figure">${t.nps}: <strong>${f.nps(result.nps_score)}</strong></p>`}
      ${result.latest_texts?.length > 0 && html`<h4>${t.latestTexts}</h4><ul class="texts">${result.latest_texts.map(text => html`<li>${text}</li>`)}</ul>`}`}
  </article>`;
}

/** A choice question's counts, in the question's order of options, as horizontal bars and as a table. */
function Options({ t, f, title, question, survey, counts, showTables }) {
  const ids = Object.keys(counts);
  const label = id => inLanguage(question?.options?.find(o => o.id === id)?.label, t.locale, survey.default_language) || id;
  const rows = ids.map(id => [label(id), f.count(counts[id])]);
  return html`
    <${Chart} horizontal bars whole labels=${ids.map(label)} values=${ids.map(id => counts[id])} format=${f.count} range=${(u, min, max) => [0, Math.max(1, max ?? 1)]}
      summary=${t.optionsSummary(title, rows.map(([name, n]) => `${name} ${n}`).join(', '))} />
    <${FiguresTable} caption=${t.answersTo(title)} header=${t.answer} valueHeader=${t.count} rows=${rows} visible=${showTables} />`;
}

/** A survey's text in the given language, else in its default language, else any it has. */
function inLanguage(texts, language, fallback) {
  if (!texts) return null;
  return texts[language] || texts[fallback] || Object.values(texts)[0];
}
