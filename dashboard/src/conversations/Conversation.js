// One conversation: its messages (new ones arrive on their own and are announced), reply, close, reopen, assign.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api.js';
import { html, Link, Problem, When, canWrite } from '../ui.js';
import { usePolling } from './polling.js';
import { memberName, useMembers, visitorName } from './people.js';

const POLL_MS = 3000;
const PAGE = 500; // GET /v1/conversations/{id} answers at most 500 messages after a cursor

export function Conversation({ t: shell, me, go, id }) {
  const t = shell.conversations;
  const [conversation, setConversation] = useState(null);
  const [messages, setMessages] = useState([]);
  const [error, setError] = useState(null); // what the API refused of what the member did
  const [pollError, setPollError] = useState(null);
  const [heard, setHeard] = useState(''); // the live region's text
  const members = useMembers();
  const writer = canWrite(me);
  const cursor = useRef(null); // next_cursor of the last answer: null until the first one
  const known = useRef(new Set()); // the ids of the messages shown
  const latest = useRef(null);
  latest.current = conversation;

  const authorOf = m => m.author_kind === 'visitor' ? visitorName(latest.current || {}, t)
    : m.author_kind === 'team' ? m.author_name || t.team : t.system;

  /** Adds the messages not shown yet, in sequence order; announces those someone else wrote when asked to. */
  function add(fresh, announce) {
    const added = fresh.filter(m => !known.current.has(m.id));
    if (added.length === 0) return;
    added.forEach(m => known.current.add(m.id));
    setMessages(old => [...old, ...added].sort((a, b) => Number(a.sequence) - Number(b.sequence)));
    const theirs = added.filter(m => m.author_kind === 'visitor' || m.author_id !== me.user.id); // not what this member did
    if (announce && theirs.length) setHeard(theirs.map(m => t.newMessage(authorOf(m), m.body)).join('\n'));
  }

  /** GET /v1/conversations/{id}?after=…: the conversation and the messages after the cursor, all pages of them. */
  async function fetchNew(announce) {
    for (;;) {
      const query = new URLSearchParams({ limit: String(PAGE) });
      if (cursor.current) query.set('after', cursor.current);
      const answer = (await api('GET', `/v1/conversations/${id}?${query}`)).data;
      cursor.current = answer.next_cursor;
      setConversation(answer.conversation);
      add(answer.messages, announce);
      if (answer.messages.length < PAGE) return;
    }
  }

  useEffect(() => { fetchNew(false).catch(setError); }, [id]);

  usePolling(async () => {
    if (cursor.current === null) return; // the first answer is not in yet
    try { await fetchNew(true); setPollError(null); } catch (e) { setPollError(e); throw e; }
  }, POLL_MS, [id]);

  /** A team action on the conversation; the answer is the conversation as it is now. */
  async function act(method, path, body) {
    setError(null);
    try {
      setConversation((await api(method, `/v1/conversations/${id}${path}`, body)).data);
      await fetchNew(false); // the system message saying who closed or reopened it
    } catch (e) { setError(e); }
  }

  if (!conversation) return html`<main><p><${Link} go=${go} href="/app/conversations">← ${t.back}<//></p>
    ${error ? html`<${Problem} error=${error} />` : html`<p>${t.loading}</p>`}</main>`;

  const resolved = conversation.status === 'resolved';
  return html`<main class="conversation">
    <p><${Link} go=${go} href="/app/conversations">← ${t.back}<//></p>
    <h1>${t.chatWith(visitorName(conversation, t))}</h1>
    <dl class="facts">
      <dt>${t.status}</dt><dd>${t.statuses[conversation.status] || conversation.status}</dd>
      ${conversation.submitter?.email && conversation.submitter?.name && html`<dt>${t.email}</dt><dd>${conversation.submitter.email}</dd>`}
      <dt>${t.page}</dt><dd class="url">${conversation.page?.url || '—'}</dd>
      <dt>${t.started}</dt><dd><${When} at=${conversation.created_at} /></dd>
      <dt>${t.updated}</dt><dd><${When} at=${conversation.updated_at} /></dd>
      ${!writer && html`<dt>${t.assignee}</dt><dd>${conversation.assigned_to ? memberName(members, conversation.assigned_to) : t.nobody}</dd>`}
    </dl>
    ${!writer && html`<p class="notice">${t.viewerNote}</p>`}
    <${Problem} error=${error} />
    ${writer && html`<form class="actions" onSubmit=${e => e.preventDefault()}>
      <label>${t.assignee} <select value=${conversation.assigned_to || ''}
        onChange=${e => act('PATCH', '', { assigned_to: e.target.value || null })}>
        <option value="">${t.nobody}</option>
        ${members.map(u => html`<option value=${u.id}>${u.name || u.email}</option>`)}
      </select></label>
      <button type="button" onClick=${() => act('POST', resolved ? '/reopen' : '/close')}>${resolved ? t.reopen : t.close}</button>
    </form>`}
    <section aria-labelledby="messages-title">
      <h2 id="messages-title">${t.messages}</h2>
      <ol class="chat">${messages.map(m => html`<${Message} key=${m.id} m=${m} who=${authorOf(m)} t=${t} />`)}</ol>
      <p class="hint">${resolved ? t.resolvedNote : t.liveNote}</p>
      <p class="visually-hidden" aria-live="polite">${heard}</p>
      <${Problem} error=${pollError} />
    </section>
    ${writer && html`<${Reply} t=${t} id=${id} onSent=${m => add([m], false)} />`}
  </main>`;
}

function Message({ m, who, t }) {
  if (m.author_kind === 'system') return html`<li class="msg system"><span>${m.body}</span> <${When} at=${m.created_at} /></li>`;
  return html`<li class=${'msg ' + (m.author_kind === 'visitor' ? 'visitor' : 'team')}>
    <p class="meta"><strong>${who}</strong> <${When} at=${m.created_at} /></p>
    <p class="text">${m.body}</p>
    ${m.attachments?.length > 0 && html`<p class="meta">${t.attachments(m.attachments.length)}</p>`}
  </li>`;
}

/** POST /v1/conversations/{id}/messages; one client_message_id per text, so a retry after a lost answer is one message. */
function Reply({ t, id, onSent }) {
  const [draft, setDraft] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState(null);
  const clientMessageId = useRef(null);

  async function send(e) {
    e.preventDefault();
    if (!draft.trim() || sending) return;
    clientMessageId.current ||= newClientMessageId();
    setSending(true);
    setError(null);
    try {
      const answer = await api('POST', `/v1/conversations/${id}/messages`, { body: draft, client_message_id: clientMessageId.current });
      onSent(answer.data);
      setDraft('');
      clientMessageId.current = null;
    } catch (e) { setError(e); } finally { setSending(false); }
  }

  return html`<form class="reply" onSubmit=${send}>
    <label for="reply">${t.reply}</label>
    <textarea id="reply" rows="3" maxlength="5000" aria-describedby="reply-hint" value=${draft}
      onInput=${e => { setDraft(e.target.value); clientMessageId.current = null; }}
      onKeyDown=${e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) send(e); }}></textarea>
    <p id="reply-hint" class="hint">${t.sendHint}</p>
    <${Problem} error=${error} />
    <button type="submit">${sending ? t.sending : t.send}</button>
  </form>`;
}

const newClientMessageId = () => 'dash_' + Array.from(crypto.getRandomValues(new Uint8Array(16)), b => b.toString(16).padStart(2, '0')).join('');
