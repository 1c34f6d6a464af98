// The team's dashboard: sign-in, the inbox and a report's detail, on the public REST API only.
import { h, render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import htm from 'htm';
import { api, session, ApiError } from './api.js';
import { initialLanguage, languages, textsFor } from './i18n.js';

const html = htm.bind(h);

function useRoute() {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const changed = () => setPath(location.pathname);
    addEventListener('popstate', changed);
    return () => removeEventListener('popstate', changed);
  }, []);
  return [path, to => { history.pushState(null, '', to); setPath(to); }];
}

function Problem({ error }) {
  if (!error) return null;
  const fields = error.details?.length ? ' ' + error.details.map(d => `${d.field} ${d.issue}`).join('; ') : '';
  return html`<p class="problem" role="alert">${error.message}${fields}</p>`;
}

function SignIn({ t, onSignedIn }) {
  const [email, setEmail] = useState('');
  const [key, setKey] = useState('');
  const [sent, setSent] = useState(null);
  const [error, setError] = useState(null);

  async function mailLink(event) {
    event.preventDefault();
    setError(null);
    try {
      const answer = await api('POST', '/v1/auth/sign-in', { email });
      setSent(answer.data.email_status === 'disabled' ? t.mailOff : t.linkSent);
    } catch (e) { setError(e); }
  }

  async function useKey(event) {
    event.preventDefault();
    setError(null);
    session.key = key.trim();
    try { onSignedIn((await api('GET', '/v1/auth/session')).data); } catch (e) { session.key = null; setError(e); }
  }

  return html`<main class="narrow">
    <h1>${t.signInTitle}</h1>
    <form onSubmit=${mailLink}>
      <label for="email">${t.email}</label>
      <input id="email" type="email" required autocomplete="email" value=${email} onInput=${e => setEmail(e.target.value)} />
      <button type="submit">${t.sendLink}</button>
    </form>
    ${sent && html`<p role="status" class="notice">${sent}</p>`}
    <form onSubmit=${useKey}>
      <label for="key">${t.orKey}</label>
      <input id="key" type="password" autocomplete="off" placeholder=${t.key} value=${key} onInput=${e => setKey(e.target.value)} />
      <button type="submit">${t.useKey}</button>
    </form>
    <${Problem} error=${error} />
  </main>`;
}

const STATUSES = ['new', 'pending', 'in_progress', 'resolved', 'closed'];

function Inbox({ t, go }) {
  const [filter, setFilter] = useState({ status: '', item_type: '' });
  const [pages, setPages] = useState([]);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);

  async function load(url, append) {
    try {
      const answer = await api('GET', url);
      setPages(append ? [...pages, ...answer.data] : answer.data);
      setNext(answer.links?.next || null);
    } catch (e) { setError(e); }
  }

  useEffect(() => {
    const query = new URLSearchParams({ limit: '50' });
    if (filter.status) query.set('status', filter.status);
    if (filter.item_type) query.set('item_type', filter.item_type);
    load('/v1/feedback?' + query, false);
  }, [filter.status, filter.item_type]);

  return html`<main>
    <h1>${t.inbox}</h1>
    <form class="filters" onSubmit=${e => e.preventDefault()}>
      <label>${t.status} <select value=${filter.status} onChange=${e => setFilter({ ...filter, status: e.target.value })}>
        <option value="">${t.all}</option>
        ${STATUSES.map(s => html`<option value=${s}>${t.statuses[s]}</option>`)}
      </select></label>
      <label>${t.type} <select value=${filter.item_type} onChange=${e => setFilter({ ...filter, item_type: e.target.value })}>
        <option value="">${t.all}</option>
        ${['bug', 'idea', 'question'].map(s => html`<option value=${s}>${s}</option>`)}
      </select></label>
    </form>
    <${Problem} error=${error} />
    ${pages.length === 0 ? html`<p>${t.noFeedback}</p>` : html`<table class="inbox">
      <thead><tr><th scope="col">${t.titleCol}</th><th scope="col">${t.type}</th><th scope="col">${t.status}</th><th scope="col">${t.created}</th></tr></thead>
      <tbody>${pages.map(f => html`<tr>
        <td><a href=${'/app/feedback/' + f.id} onClick=${e => { e.preventDefault(); go('/app/feedback/' + f.id); }}>${f.title || (f.body || '').slice(0, 80) || f.id}</a></td>
        <td>${f.item_type || ''}</td><td>${t.statuses[f.status] || f.status}</td><td><time datetime=${f.created_at}>${new Date(f.created_at).toLocaleString()}</time></td>
      </tr>`)}</tbody>
    </table>`}
    ${next && html`<button onClick=${() => load(next, true)}>${t.more}</button>`}
  </main>`;
}

function Detail({ t, id, me, go }) {
  const [feedback, setFeedback] = useState(null);
  const [logs, setLogs] = useState(null);
  const [users, setUsers] = useState([]);
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const canWrite = me.user.role !== 'viewer';

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
    <p><a href="/app/" onClick=${e => { e.preventDefault(); go('/app/'); }}>← ${t.back}</a></p>
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

function App() {
  const [language, setLanguage] = useState(initialLanguage());
  const [me, setMe] = useState(null);
  const [checking, setChecking] = useState(true);
  const [error, setError] = useState(null);
  const [path, go] = useRoute();
  const t = textsFor(language);

  useEffect(() => { document.documentElement.lang = language; localStorage.setItem('trackelio.language', language); }, [language]);

  // A link's token is kept in memory (out of the address bar and history at once) and used only when the person
  // confirms: a link someone else sent cannot sign anybody in silently, and a mail scanner opening it uses nothing.
  const [pendingToken, setPendingToken] = useState(null);

  useEffect(() => {
    (async () => {
      const token = new URLSearchParams(location.hash.slice(1)).get('token');
      try {
        if (path === '/app/sign-in' && token) {
          history.replaceState(null, '', '/app/sign-in');
          setPendingToken(token);
        } else if (session.key) {
          setMe((await api('GET', '/v1/auth/session')).data);
        }
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) session.key = null;
        setError(e);
      } finally { setChecking(false); }
    })();
  }, []);

  async function useLink() {
    setError(null);
    try {
      if (session.key && me?.api_key?.kind === 'session') await api('DELETE', '/v1/auth/session').catch(() => null);
      session.key = null;
      const answer = await api('POST', '/v1/auth/sessions', { sign_in_token: pendingToken });
      session.key = answer.data.api_key.key;
      setPendingToken(null);
      setMe(answer.data);
      go('/app/');
    } catch (e) { setPendingToken(null); setError(e); }
  }

  async function signOut() {
    try { if (me?.api_key?.kind === 'session') await api('DELETE', '/v1/auth/session'); } catch { /* signed out locally either way */ }
    session.key = null;
    setMe(null);
    go('/app/');
  }

  const header = html`<header>
    <strong>${t.title}</strong>
    ${me && html`<span class="who">${me.user.name || me.user.email} · ${me.workspace.name} · ${me.user.role}</span>`}
    <label class="language">${t.language} <select value=${language} onChange=${e => setLanguage(e.target.value)}>${languages.map(l => html`<option value=${l}>${l.toUpperCase()}</option>`)}</select></label>
    ${me && html`<button onClick=${signOut}>${t.signOut}</button>`}
  </header>`;

  if (checking) return html`${header}<main><p>${t.signingIn}</p></main>`;
  if (pendingToken) return html`${header}<main class="narrow"><h1>${t.signInTitle}</h1><p>${t.confirmLink}</p>
    <button onClick=${useLink}>${t.signInTitle}</button></main>`;
  if (!me) return html`${header}<${Problem} error=${error} /><${SignIn} t=${t} onSignedIn=${setMe} />`;
  const detail = path.match(/^\/app\/feedback\/([a-z0-9_]+)$/);
  return html`${header}${detail ? html`<${Detail} t=${t} id=${detail[1]} me=${me} go=${go} />` : html`<${Inbox} t=${t} go=${go} />`}`;
}

render(html`<${App} />`, document.getElementById('app'));
