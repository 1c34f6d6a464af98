// A report's console and network logs as lists a person can narrow: console by level and text, network by outcome and
// text, sorted by time taken or as recorded.
import { useState } from 'preact/hooks';
import { html } from '../ui.js';

const LEVELS = ['error', 'warn', 'info', 'log', 'debug'];

export function ConsoleLog({ t, entries }) {
  const [level, setLevel] = useState('');
  const [text, setText] = useState('');
  const shown = entries.filter(e => (!level || e.level === level) && (!text || (e.message || '').toLowerCase().includes(text.toLowerCase())));
  const levels = [...new Set([...LEVELS.filter(l => entries.some(e => e.level === l)), ...entries.map(e => e.level)])];
  return html`<section aria-labelledby="console-heading">
    <h2 id="console-heading">${t.console} <span class="count">(${shown.length} / ${entries.length})</span></h2>
    <form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.level} <select value=${level} onChange=${e => setLevel(e.target.value)}>
        <option value="">${t.all}</option>${levels.map(l => html`<option value=${l}>${l}</option>`)}
      </select></label>
      <label>${t.contains} <input type="search" value=${text} onInput=${e => setText(e.target.value)} /></label>
    </form>
    ${shown.length === 0 ? html`<p>${t.noEntries}</p>` : html`<table class="logs">
      <thead><tr><th scope="col">${t.level}</th><th scope="col">${t.time}</th><th scope="col">${t.message}</th></tr></thead>
      <tbody>${shown.map(e => html`<tr class=${'level-' + e.level}>
        <td>${e.level}</td><td>${e.timestamp ? html`<time datetime=${e.timestamp}>${new Date(e.timestamp).toLocaleTimeString()}</time>` : '—'}</td><td class="message">${e.message}</td>
      </tr>`)}</tbody></table>`}
  </section>`;
}

const OUTCOMES = {
  failed: n => n.status == null || n.status === 0 || n.status >= 400,
  server: n => n.status >= 500,
  client: n => n.status >= 400 && n.status < 500,
  ok: n => n.status >= 200 && n.status < 400,
};

export function NetworkLog({ t, entries }) {
  const [outcome, setOutcome] = useState('');
  const [text, setText] = useState('');
  const [slowest, setSlowest] = useState(false);
  let shown = entries.filter(n => (!outcome || OUTCOMES[outcome](n)) && (!text || `${n.method} ${n.url}`.toLowerCase().includes(text.toLowerCase())));
  if (slowest) shown = [...shown].sort((a, b) => (b.duration_ms ?? -1) - (a.duration_ms ?? -1));
  return html`<section aria-labelledby="network-heading">
    <h2 id="network-heading">${t.network} <span class="count">(${shown.length} / ${entries.length})</span></h2>
    <form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.outcome} <select value=${outcome} onChange=${e => setOutcome(e.target.value)}>
        <option value="">${t.all}</option>${Object.keys(OUTCOMES).map(o => html`<option value=${o}>${t.outcomes[o]}</option>`)}
      </select></label>
      <label>${t.contains} <input type="search" value=${text} onInput=${e => setText(e.target.value)} /></label>
      <label class="check"><input type="checkbox" checked=${slowest} onChange=${e => setSlowest(e.target.checked)} /> ${t.slowestFirst}</label>
    </form>
    ${shown.length === 0 ? html`<p>${t.noEntries}</p>` : html`<table class="logs">
      <thead><tr><th scope="col">${t.statusCode}</th><th scope="col">${t.method}</th><th scope="col">${t.url}</th><th scope="col">${t.duration}</th></tr></thead>
      <tbody>${shown.map(n => html`<tr class=${OUTCOMES.failed(n) ? 'level-error' : ''}>
        <td>${n.status || '—'}</td><td>${n.method || ''}</td><td class="message">${n.url || ''}</td><td class="number">${n.duration_ms != null ? `${Math.round(n.duration_ms)} ms` : '—'}</td>
      </tr>`)}</tbody></table>`}
  </section>`;
}
