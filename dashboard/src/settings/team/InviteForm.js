// Invite a member (POST /v1/users): their address, an optional name, the role. The invitation is mailed when mail is on.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html } from '../../ui.js';
import { Refused } from '../keys/Refused.js';

export function InviteForm({ t, onInvited }) {
  const tt = t.settings.team;
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('editor');
  const [error, setError] = useState(null);

  async function submit(e) {
    e.preventDefault();
    setError(null);
    try {
      const invited = (await api('POST', '/v1/users', name.trim() ? { email, name: name.trim(), role } : { email, role })).data;
      setEmail('');
      setName('');
      onInvited(invited);
    } catch (e) { setError(e); }
  }
  return html`<form class="settings-form" onSubmit=${submit}>
    <h3>${tt.invite.title}</h3>
    <label for="invite-email">${tt.invite.email}</label>
    <input id="invite-email" type="email" required autocomplete="off" value=${email} onInput=${e => setEmail(e.target.value)} />
    <label for="invite-name">${tt.invite.name}</label>
    <input id="invite-name" maxlength="200" autocomplete="off" value=${name} onInput=${e => setName(e.target.value)} />
    <label for="invite-role">${tt.invite.role}</label>
    <select id="invite-role" value=${role} onChange=${e => setRole(e.target.value)}>
      ${['admin', 'editor', 'viewer'].map(r => html`<option value=${r}>${t.settings.team.roles[r]}</option>`)}
    </select>
    <${Refused} error=${error} known=${tt.refused} />
    <button type="submit">${tt.invite.submit}</button>
  </form>`;
}
