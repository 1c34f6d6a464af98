// A report: what the visitor sent (text, page, browser, element, screenshots, recording, logs) and the team's triage —
// status, assignee, notes — with who did what.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import { members } from '../members.js';
import { html, Link, Problem, When, canWrite as mayWrite } from '../ui.js';
import { STATUSES } from './Inbox.js';
import { ConsoleLog, NetworkLog } from './Logs.js';

export function Report({ t, id, me, go }) {
  const [feedback, setFeedback] = useState(null);
  const [logs, setLogs] = useState(null);
  const [users, setUsers] = useState([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const canWrite = mayWrite(me);

  useEffect(() => {
    let left = false; // answers for a report no longer shown are dropped
    setFeedback(null);
    setLogs(null);
    (async () => {
      try {
        const shown = (await api('GET', '/v1/feedback/' + id)).data;
        if (!left) setFeedback(shown);
        const logged = (await api('GET', `/v1/feedback/${id}/logs`)).data;
        if (!left) setLogs(logged);
      } catch (e) { if (!left) setError(e); }
    })();
    members().then(all => !left && setUsers(all), e => !left && setError(e));
    return () => { left = true; };
  }, [id]);

  async function change(patch) {
    setError(null);
    try {
      setFeedback((await api('PATCH', '/v1/feedback/' + id, patch)).data);
      if (patch.note) setNote('');
    } catch (e) { setError(e); }
  }

  if (!feedback) return html`<main><p>${error ? html`<${Problem} error=${error} />` : t.loading}</p></main>`;
  const name = userId => { const u = users.find(u => u.id === userId); return u ? u.name || u.email : userId || '—'; };
  const attachments = (feedback.attachments || []).filter(a => a.download_url);
  const client = feedback.client;
  return html`<main class="report">
    <p><${Link} go=${go} href="/app/">← ${t.back}<//></p>
    <h1>${feedback.title || feedback.id}</h1>
    <p class="meta">${t.types[feedback.item_type] || feedback.item_type || ''} · <${When} at=${feedback.created_at} />${feedback.submitter?.email ? ' · ' + (feedback.submitter.name ? `${feedback.submitter.name} <${feedback.submitter.email}>` : feedback.submitter.email) : ''}</p>
    <p class="body">${feedback.body}</p>
    ${!canWrite && html`<p class="notice">${t.readOnly}</p>`}
    <${Problem} error=${error} />
    <form class="triage" onSubmit=${e => e.preventDefault()}>
      <label>${t.status} <select disabled=${!canWrite} value=${feedback.status} onChange=${e => change({ status: e.target.value })}>
        ${STATUSES.map(s => html`<option value=${s}>${t.statuses[s]}</option>`)}
      </select></label>
      <label>${t.assignee} <select disabled=${!canWrite} value=${feedback.assigned_to || ''} onChange=${e => change({ assigned_to: e.target.value || null })}>
        <option value="">${t.nobody}</option>
        ${users.filter(u => u.status === 'active').map(u => html`<option value=${u.id}>${u.name || u.email}</option>`)}
      </select></label>
    </form>
    <dl class="facts">
      ${feedback.page?.url && html`<dt>${t.page}</dt><dd>${feedback.page.title ? feedback.page.title + ' — ' : ''}${feedback.page.url}</dd>`}
      ${client && html`<dt>${t.browser}</dt><dd>${[client.browser, client.browser_version, '·', client.os, client.os_version, client.device ? '· ' + client.device : ''].filter(Boolean).join(' ')}</dd>`}
      ${feedback.viewport && html`<dt>${t.viewport}</dt><dd>${feedback.viewport.width} × ${feedback.viewport.height}</dd>`}
      ${feedback.element?.selector && html`<dt>${t.element}</dt><dd><code>${feedback.element.selector}</code>${feedback.element.text ? ` “${feedback.element.text}”` : ''}</dd>`}
    </dl>
    ${attachments.map(a => a.kind === 'recording'
      ? html`<figure><video controls preload="metadata" src=${a.download_url}></video><figcaption>${t.recording}</figcaption></figure>`
      : html`<figure><a href=${a.download_url} target="_blank" rel="noopener"><img src=${a.download_url} alt=${t.screenshot} /></a><figcaption>${t.screenshot}</figcaption></figure>`)}
    ${(feedback.missing_attachments || []).length > 0 && html`<p class="notice">${t.missingAttachments(feedback.missing_attachments.length)}</p>`}
    ${logs && html`<${ConsoleLog} t=${t} entries=${logs.console_logs || []} /><${NetworkLog} t=${t} entries=${logs.network_logs || []} />`}
    <section aria-labelledby="notes-heading"><h2 id="notes-heading">${t.notes}</h2>
      ${(feedback.notes || []).length === 0 ? html`<p>${t.noNotes}</p>` : html`<ul class="notes">${feedback.notes.map(n => html`<li><strong>${name(n.author_id)}</strong> · <${When} at=${n.created_at} /><p>${n.body}</p></li>`)}</ul>`}
      ${canWrite && html`<form onSubmit=${e => { e.preventDefault(); if (note.trim()) change({ note }); }}>
        <label for="note">${t.addNote}</label><textarea id="note" value=${note} onInput=${e => setNote(e.target.value)}></textarea>
        <button type="submit">${t.save}</button></form>`}
    </section>
    <section aria-labelledby="audit-heading"><h2 id="audit-heading">${t.audit}</h2>
      <ol class="audit">${(feedback.audit || []).map(a => html`<li><${When} at=${a.at} /> <strong>${a.actor === 'widget' ? t.visitor : name(a.actor)}</strong>: ${auditText(t, a, name)}</li>`)}</ol></section>
  </main>`;
}

/** One line of the audit trail: what changed, from what to what, in the reader's words. */
function auditText(t, entry, name) {
  const what = t.actions[entry.action] || entry.action;
  if (!entry.changes) return what;
  const show = value => entry.action === 'assigned' ? (value ? name(value) : t.nobody) : (t.statuses[value] || value || '—');
  return `${what}: ${show(entry.changes.from)} → ${show(entry.changes.to)}`;
}
