// Settings → API keys: every key of the workspace (sign-in sessions too), mint one (its secret shown once), rotate
// (the old key works 24 h more), revoke (after a confirmation). Admins only, as the API has it.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { members } from '../../members.js';
import { html, When, isAdmin } from '../../ui.js';
import { MintKeyForm } from './MintKeyForm.js';
import { SecretOnce } from './SecretOnce.js';
import { Confirm } from './Confirm.js';
import { Refused } from './Refused.js';
import './settings.css';

export function ApiKeys({ t, me }) {
  const k = t.settings.keys;
  const [keys, setKeys] = useState(null);
  const [users, setUsers] = useState([]);
  const [error, setError] = useState(null);
  const [secret, setSecret] = useState(null); // { key, text }: a new key's secret, shown once
  const [revoking, setRevoking] = useState(null);

  async function load() {
    try {
      setKeys((await api('GET', '/v1/api-keys')).data);
      setUsers(await members());
    } catch (e) { setError(e); }
  }
  useEffect(() => { if (isAdmin(me)) load(); }, []);

  if (!isAdmin(me)) return html`<section><h2>${t.settings.tabs.keys}</h2><p class="notice">${k.adminsOnly(t.settings.team.roles[me.user.role])}</p></section>`;

  const memberName = id => { const u = users.find(u => u.id === id); return u ? u.name || u.email : id; };

  async function rotate(key) {
    setError(null);
    setSecret(null);
    try {
      const replacement = (await api('POST', `/v1/api-keys/${key.id}/rotate`)).data;
      const list = (await api('GET', '/v1/api-keys')).data;
      setKeys(list);
      const old = list.find(x => x.id === key.id);
      setSecret({ key: replacement, text: k.rotated(replacement.name, old?.retires_at ? new Date(old.retires_at).toLocaleString() : '—') });
    } catch (e) { setError(e); }
  }

  async function revoke(key) {
    await api('DELETE', '/v1/api-keys/' + key.id);
    if (key.id === me.api_key?.id) { location.reload(); return; } // this session's own key: signed out
    setKeys((await api('GET', '/v1/api-keys')).data);
  }

  function minted(key) {
    setSecret({ key, text: k.minted(key.name) });
    load();
  }

  return html`<section class="api-keys">
    <h2>${t.settings.tabs.keys}</h2>
    <p>${k.intro}</p>
    <${Refused} error=${error} known=${k.refused} />
    ${secret && html`<${SecretOnce} t=${t} id="new-key" label=${secret.text} value=${secret.key.key} />`}
    ${keys && (keys.length === 0 ? html`<p>${k.none}</p>` : html`<table class="settings">
      <thead><tr><th>${k.name}</th><th>${k.kind}</th><th>${k.prefix}</th><th>${k.member}</th><th>${k.created}</th><th>${k.lastUsed}</th><th>${k.state}</th><th>${k.actions}</th></tr></thead>
      <tbody>${keys.map(key => html`<tr class=${key.revoked_at ? 'gone' : ''} data-key-id=${key.id}>
        <td>${key.name} ${key.id === me.api_key?.id && html`<span class="muted">${k.thisSession}</span>`}</td>
        <td>${k.kinds[key.kind] || key.kind}</td>
        <td><code>${key.prefix}…</code></td>
        <td>${memberName(key.user_id)}</td>
        <td><${When} at=${key.created_at} /></td>
        <td>${key.last_used_at ? html`<${When} at=${key.last_used_at} />` : k.never}</td>
        <td>${key.revoked_at ? html`${k.revoked} <${When} at=${key.revoked_at} />` : key.retires_at ? html`${k.retires} <${When} at=${key.retires_at} />` : k.active}</td>
        <td>${!key.revoked_at && html`
          ${key.kind === 'session' ? html`<p class="muted">${k.sessionNotRotated}</p>`
            : !key.retires_at && html`<button type="button" aria-label=${k.rotateLabel(key.name)} onClick=${() => rotate(key)}>${k.rotate}</button>`}
          <button type="button" class="danger" aria-label=${k.revokeLabel(key.name)} onClick=${() => setRevoking(key)}>${k.revoke}</button>`}</td>
      </tr>`)}</tbody>
    </table>`)}
    <${MintKeyForm} t=${t} me=${me} users=${users} onMinted=${minted} />
    ${revoking && html`<${Confirm} t=${t} title=${k.confirmRevoke(revoking.name)} action=${k.revoke} known=${k.refused}
        onConfirm=${() => revoke(revoking)} onClose=${() => setRevoking(null)}>
      <p>${k.revokeText}</p>
      ${revoking.id === me.api_key?.id && html`<p class="warning">${k.revokeSelf}</p>`}
    <//>`}
  </section>`;
}
