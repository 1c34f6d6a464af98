// What happened to the widget, newest first: created, paused (with the reason), resumed, keys rotated; by whom.
import { useEffect, useState } from 'preact/hooks';
import { members } from '../../members.js';
import { html, When } from '../../ui.js';

export function History({ t, widget }) {
  const w = t.settings.widgets;
  const [users, setUsers] = useState([]);
  useEffect(() => { members().then(setUsers, () => setUsers([])); }, []);
  const who = id => { const user = users.find(u => u.id === id); return user ? user.name || user.email : id; };
  return html`<section aria-labelledby="history-heading">
    <h3 id="history-heading">${w.history}</h3>
    <ol class="audit">${[...widget.history].reverse().slice(0, 20).map(event => html`<li>
      <${When} at=${event.at} /> ${who(event.actor)}: ${w.events[event.action] || event.action}${event.detail ? ` — ${event.detail}` : ''}
    </li>`)}</ol>
  </section>`;
}
