// Settings → team: members and invitations (role, status, last activity, the invitation mail's fate); admins invite,
// change roles, resend invitations, set a member's notification mails (a viewer cannot set their own) and remove members
// (their open feedback goes to the owner, as the API does it).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api.js';
import { html, Link, When, isAdmin } from '../../ui.js';
import { InviteForm } from './InviteForm.js';
import { SecretOnce } from '../keys/SecretOnce.js';
import { Confirm } from '../keys/Confirm.js';
import { Refused } from '../keys/Refused.js';
import { MemberMail } from './MemberMail.js';
import '../keys/settings.css';

const ROLES = ['admin', 'editor', 'viewer'];
const LOOKS_WHILE_QUEUED = 10; // an invitation's mail is usually sent within seconds; the list looks again every 3 s meanwhile

export function Team({ t, me, go }) {
  const tt = t.settings.team;
  const [users, setUsers] = useState(null);
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [token, setToken] = useState(null); // { text, value }: an invitation token, shown once
  const [removing, setRemoving] = useState(null);
  const [mailOf, setMailOf] = useState(null); // the member whose mail preferences an admin is setting
  const looks = useRef(0);
  const admin = isAdmin(me);

  async function load() {
    try { setUsers((await api('GET', '/v1/users')).data); } catch (e) { setError(e); }
  }
  useEffect(() => { load(); }, []);
  useEffect(() => {
    if (!users?.some(u => u.email_status === 'queued') || looks.current >= LOOKS_WHILE_QUEUED) return;
    const timer = setTimeout(() => { looks.current++; load(); }, 3000);
    return () => clearTimeout(timer);
  }, [users]);

  const who = u => u.name || u.email;
  const owner = users?.find(u => u.is_owner);
  const replace = changed => setUsers(list => list.map(u => u.id === changed.id ? changed : u));

  async function act(work) {
    setError(null);
    setDone(null);
    try { await work(); } catch (e) { setError(e); }
  }
  const changeRole = (user, role) => act(async () => {
    const changed = (await api('PATCH', '/v1/users/' + user.id, { role })).data;
    replace(changed);
    setDone(tt.roleChanged(who(changed), tt.roles[changed.role]));
  }).then(() => load());
  const resend = user => act(async () => {
    const resent = (await api('POST', `/v1/users/${user.id}/resend-invitation`)).data;
    replace({ ...resent, invitation_token: undefined });
    looks.current = 0;
    setToken({ text: tt.resent(who(resent)), value: resent.invitation_token });
  });
  async function remove(user) {
    await api('DELETE', '/v1/users/' + user.id, undefined, { 'X-Confirm': 'true' });
    if (mailOf?.id === user.id) setMailOf(null);
    await load();
    setDone(tt.removed(who(user)));
  }
  function invited(user) {
    looks.current = 0;
    setToken({ text: tt.invited(who(user)), value: user.invitation_token });
    load();
  }

  return html`<section class="team">
    <h2>${t.settings.tabs.team}</h2>
    ${!admin && html`<p class="notice">${tt.readOnly(tt.roles[me.user.role])}</p>`}
    <${Refused} error=${error} known=${tt.refused} />
    <p role="status">${done}</p>
    ${token && html`<${SecretOnce} t=${t} id="invitation-token" label=${token.text} value=${token.value} />`}
    ${users && html`<table class="settings">
      <thead><tr><th>${tt.member}</th><th>${tt.role}</th><th>${tt.status}</th><th>${tt.lastActive}</th><th>${tt.invitation}</th>${admin && html`<th>${tt.actions}</th>`}</tr></thead>
      <tbody>${users.map(u => html`<tr data-user-id=${u.id}>
        <td>${u.name && html`<strong>${u.name}</strong><br />`}${u.email}${u.is_owner && html` <span class="muted">· ${tt.owner}</span>`}</td>
        <td>${admin ? html`<select aria-label=${tt.roleOf(who(u))} value=${u.role} disabled=${u.is_owner}
              aria-describedby=${u.is_owner ? 'owner-note' : undefined} onChange=${e => changeRole(u, e.target.value)}>
              ${ROLES.map(r => html`<option value=${r}>${tt.roles[r]}</option>`)}</select>`
            : tt.roles[u.role]}
          ${u.is_owner && html`<p id="owner-note" class="muted">${tt.ownerNote}</p>`}</td>
        <td>${tt.statuses[u.status] || u.status}</td>
        <td>${u.last_active_at ? html`<${When} at=${u.last_active_at} />` : tt.never}</td>
        <td class="invitation">${u.status === 'pending' && html`${tt.invitedAt} <${When} at=${u.invited_at} /><br />
          <span class="email-status" data-email-status=${u.email_status}>${tt.emailStatuses[u.email_status] || u.email_status}</span>${u.email_sent_at && html` · <${When} at=${u.email_sent_at} />`}`}</td>
        ${admin && html`<td>
          ${u.status === 'pending' && html`<button type="button" aria-label=${tt.resendLabel(who(u))} onClick=${() => resend(u)}>${tt.resend}</button>`}
          ${u.id === me.user.id
            ? html`<${Link} go=${go} href="/app/settings/mail">${tt.mail.own}<//>`
            : html`<button type="button" class="secondary" aria-label=${tt.mail.open(who(u))} aria-expanded=${mailOf?.id === u.id}
                onClick=${() => setMailOf(mailOf?.id === u.id ? null : u)}>${tt.mail.button}</button>`}
          ${!u.is_owner && html`<button type="button" class="danger" aria-label=${tt.removeLabel(who(u))} onClick=${() => setRemoving(u)}>${tt.remove}</button>`}
        </td>`}
      </tr>`)}</tbody>
    </table>`}
    ${admin && mailOf && html`<${MemberMail} key=${mailOf.id} t=${t} member=${mailOf} who=${who(mailOf)}
      onSaved=${replace} onClose=${() => setMailOf(null)} />`}
    ${admin && html`<${InviteForm} t=${t} onInvited=${invited} />`}
    ${removing && html`<${Confirm} t=${t} title=${tt.confirmRemove(who(removing))} action=${tt.remove} known=${tt.refused}
        onConfirm=${() => remove(removing)} onClose=${() => setRemoving(null)}>
      <p>${tt.removeText(owner ? who(owner) : '—')}</p>
    <//>`}
  </section>`;
}
