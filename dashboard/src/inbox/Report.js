// A report: what the visitor sent (text, page, browser, element, screenshots, logs) and the team's triage.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Link, Problem, canWrite as mayWrite } from '../ui.js';
import { STATUSES } from './Inbox.js';

export function Report({ t, id, me, go }) {
  const [feedback, setFeedback] = useState(null);
  const [logs, setLogs] = useState(null);
  const [users, setUsers] = useState([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const canWrite = mayWrite(me);

  async function load() {
    try {
      setFeedback((await api('GET', '/v1/feedback/' + id)).data);
      setLogs((await api('GET', `/v1/feedback/${id}/logs`)).data);
      setUsers((await api('GET', '/v1/users')).data.filter(u => u.status === 'active'));
    } catch (e) { setError(e); }
  }
  useEffect(() => { load(); }, [id]);

  async function change(patch) {
    setError(null);
    try {
      setFeedback((await api('PATCH', '/v1/feedback/' + id, patch)).data);
      if (patch.note) setNote('');
    } catch (e) { setError(e); }
  }

  if (!feedback) return html`<main><p>${error ? html`<${Problem} error=${error} />` : t.loading}</p></main>`;
  const name = userId => users.find(u => u.id === userId)?.name || users.find(u => u.id === userId)?.email || userId;
  const screenshots = (feedback.attachments || []).filter(a => a.kind === 'screenshot' && a.download_url);
  return html`<main>
    <p><${Link} go=${go} href="/app/">← ${t.back}<//></p>
    <h1>${feedback.title || feedback.id}</h1>
    <p class="body">${feedback.body}</p>
    ${!canWrite && html`<p class="notice">${t.readOnly}</p>`}
    <${Problem} error=${error} />
    <form class="triage" onSubmit=${e => e.preventDefault()}>
      <label>${t.status} <select disabled=${!canWrite} value=${feedback.status} onChange=${e => change({ status: e.target.value })}>
        ${STATUSES.map(s => html`<option value=${s}>${t.statuses[s]}</option>`)}
      </select></label>
      <label>${t.assignee} <select disabled=${!canWrite} value=${feedback.assigned_to || ''} onChange=${e => change(e.target.value ? { assigned_to: e.target.value } : { assigned_to: null })}>
        <option value="">${t.nobody}</option>
        ${users.map(u => html`<option value=${u.id}>${u.name || u.email}</option>`)}
      </select></label>
    </form>
    <dl class="facts">
      ${feedback.page?.url && html`<dt>${t.page}</dt><dd>${feedback.page.url}</dd>`}
      ${feedback.client && html`<dt>${t.browser}</dt><dd>${[feedback.client.browser, feedback.client.browser_version, '·', feedback.client.os, feedback.client.os_version].filter(Boolean).join(' ')}</dd>`}
      ${feedback.viewport && html`<dt>${t.viewport}</dt><dd>${feedback.viewport.width} × ${feedback.viewport.height}</dd>`}
      ${feedback.element?.selector && html`<dt>${t.element}</dt><dd><code>${feedback.element.selector}</code></dd>`}
    </dl>
    ${screenshots.map(a => html`<figure><img src=${a.download_url} alt=${t.screenshot} /><figcaption>${t.screenshot}</figcaption></figure>`)}
    ${logs && html`<section><h2>${t.console}</h2><ul class="logs">${(logs.console_logs || []).map(l => html`<li class=${'level-' + l.level}><strong>${l.level}</strong> ${l.message}</li>`)}</ul>
      <h2>${t.network}</h2><ul class="logs">${(logs.network_logs || []).map(n => html`<li><strong>${n.status ?? '—'}</strong> ${n.method} ${n.url} ${n.duration_ms != null ? html`<span>(${n.duration_ms} ms)</span>` : ''}</li>`)}</ul></section>`}
    <section><h2>${t.notes}</h2>
      <ul>${(feedback.notes || []).map(n => html`<li><strong>${name(n.author_id)}</strong>: ${n.body}</li>`)}</ul>
      ${canWrite && html`<form onSubmit=${e => { e.preventDefault(); if (note.trim()) change({ note }); }}>
        <label for="note">${t.addNote}</label><textarea id="note" value=${note} onInput=${e => setNote(e.target.value)}></textarea>
        <button type="submit">${t.save}</button></form>`}
    </section>
    <section><h2>${t.audit}</h2><ol class="audit">${(feedback.audit || []).map(a => html`<li><time datetime=${a.at}>${new Date(a.at).toLocaleString()}</time> ${name(a.actor)}: ${a.action}${a.changes ? ' ' + Object.entries(a.changes).map(([k, v]) => `${k} → ${v ? name(v) : '—'}`).join(', ') : ''}</li>`)}</ol></section>
  </main>`;
}
