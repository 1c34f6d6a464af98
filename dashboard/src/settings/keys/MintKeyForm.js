// A new API key: its name and whose it is (POST /v1/api-keys). Only the owner mints keys for other members.
import { useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html } from '../../ui.js';
import { Refused } from './Refused.js';

export function MintKeyForm({ t, me, users, onMinted }) {
  const k = t.settings.keys;
  const [name, setName] = useState('');
  const [userId, setUserId] = useState(me.user.id);
  const [error, setError] = useState(null);
  const members = me.user.is_owner ? users.filter(u => u.status === 'active') : users.filter(u => u.id === me.user.id);

  async function submit(e) {
    e.preventDefault();
    setError(null);
    try {
      const key = (await api('POST', '/v1/api-keys', { name, user_id: userId })).data;
      setName('');
      onMinted(key);
    } catch (e) { setError(e); }
  }
  return html`<form class="settings-form" onSubmit=${submit}>
    <h3>${k.mint.title}</h3>
    <label for="key-name">${k.mint.name}</label>
    <input id="key-name" required maxlength="200" value=${name} onInput=${e => setName(e.target.value)} />
    <label for="key-member">${k.mint.member}</label>
    <select id="key-member" value=${userId} onChange=${e => setUserId(e.target.value)} aria-describedby=${me.user.is_owner ? undefined : 'key-only-own'}>
      ${(members.length ? members : [me.user]).map(u => html`<option value=${u.id}>${u.name ? `${u.name} (${u.email})` : u.email} · ${t.settings.team.roles[u.role]}</option>`)}
    </select>
    ${!me.user.is_owner && html`<p id="key-only-own" class="muted">${k.mint.onlyOwn}</p>`}
    <${Refused} error=${error} known=${k.refused} />
    <button type="submit">${k.mint.submit}</button>
  </form>`;
}
