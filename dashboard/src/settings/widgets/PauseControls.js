// Pause (POST /v1/widgets/{id}/pause with a reason and, optionally, when it resumes by itself) and resume
// (POST …/resume, optionally telling the admins and the webhooks). A paused widget shows nothing on the site.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, Problem, When } from '../../ui.js';

export function PauseControls({ t, widget, canWrite, onChange }) {
  const w = t.settings.widgets;
  const [reason, setReason] = useState('');
  const [resumeAt, setResumeAt] = useState('');
  const [notify, setNotify] = useState(true);
  const [error, setError] = useState(null);

  async function run(path, body) {
    setError(null);
    try { onChange((await api('POST', `/v1/widgets/${widget.id}/${path}`, body)).data); } catch (failure) { setError(failure); }
  }
  const pause = e => {
    e.preventDefault();
    run('pause', { reason: reason.trim() || undefined, resume_at: resumeAt ? new Date(resumeAt).toISOString() : undefined });
  };
  const resume = e => { e.preventDefault(); run('resume', { notify }); };

  return html`<section class="pause" aria-labelledby="pause-heading">
    <h3 id="pause-heading">${w.pause}</h3>
    <p>${w.pauseHint}</p>
    ${widget.status === 'paused' ? html`<dl class="facts">
      <dt>${w.pausedSince}</dt><dd><${When} at=${widget.paused_at} /></dd>
      ${widget.pause_reason && html`<dt>${w.pausedBecause}</dt><dd>${widget.pause_reason}</dd>`}
      ${widget.scheduled_resume && html`<dt>${w.resumesAt}</dt><dd><${When} at=${widget.scheduled_resume} /></dd>`}
    </dl>
    ${canWrite && html`<form onSubmit=${resume}>
      <label class="check"><input type="checkbox" checked=${notify} onChange=${e => setNotify(e.target.checked)} /> ${w.notify}</label>
      <button type="submit">${w.resumeButton}</button>
    </form>`}` : canWrite && html`<form onSubmit=${pause}>
      <label for="pause-reason">${w.reason}</label>
      <textarea id="pause-reason" maxlength="500" rows="2" value=${reason} onInput=${e => setReason(e.target.value)}></textarea>
      <label for="pause-until">${w.resumeAt}</label>
      <input id="pause-until" type="datetime-local" value=${resumeAt} onInput=${e => setResumeAt(e.target.value)} />
      <button type="submit">${w.pauseButton}</button>
    </form>`}
    <${Problem} error=${error} />
  </section>`;
}
