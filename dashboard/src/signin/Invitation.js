// Joining a workspace from the invitation mail's link ({AppUrl}/invitation#token=inv_…). The token is kept in memory
// (main.js takes it out of the address bar at once) and used only when the person clicks Join: a mail scanner opening
// the link uses nothing up. The page first says what the invitation is for — workspace, role, address, who invited —
// from POST /v1/invitations/check, which uses nothing up either; a used or expired invitation is refused at once.
import { useState } from 'preact/hooks';
import { api, session } from '../api.js';
import { html, Problem } from '../ui.js';
import { refusesToken, useTokenCheck } from './tokenCheck.js';
import { SecretOnce } from '../settings/keys/SecretOnce.js';

/**
 * Accepts the invitation (POST /v1/invitations/accept) and signs this tab in with the key it answers; `onJoined` gets
 * the session (GET /v1/auth/session) and the key with its secret, `onRefused` what the API refused.
 */
export function JoinWorkspace({ t, token, onJoined, onRefused }) {
  const j = t.join;
  const [busy, setBusy] = useState(false);
  const [invitation, checkFailure, checkAgain] = useTokenCheck('/v1/invitations/check', { invitation_token: token }, onRefused);
  const [failure, setFailure] = useState(null); // a join that failed for another reason than the token
  // The key the accepted invitation answered: kept when what follows fails, so trying again does not accept twice
  // (the link works once) and the key, shown only once, is not lost.
  const [accepted, setAccepted] = useState(null);

  async function join() {
    setBusy(true);
    setFailure(null);
    try {
      let key = accepted;
      if (!key) {
        // Another member signed in in this tab: their sign-in session ends (a lasting key is only forgotten here).
        if (session.key) await api('DELETE', '/v1/auth/session').catch(() => null);
        session.key = null;
        key = (await api('POST', '/v1/invitations/accept', { invitation_token: token, key_name: j.keyName })).data.api_key;
        setAccepted(key);
      }
      session.key = key.key;
      onJoined((await api('GET', '/v1/auth/session')).data, key);
    } catch (e) {
      setBusy(false);
      if (refusesToken(e)) onRefused(e); else setFailure(e);
    }
  }

  if (checkFailure) return html`<main class="narrow"><h1>${j.title}</h1><${Problem} error=${checkFailure} />
    <button type="button" onClick=${checkAgain}>${t.checkAgain}</button></main>`;
  if (!invitation) return html`<main class="narrow"><h1>${j.title}</h1><p>${t.loading}</p></main>`;
  return html`<main class="narrow">
    <h1>${j.title}</h1>
    <p>${j.lead(invitation.workspace_name, j.roles[invitation.role] || invitation.role, invitation.invited_by)}</p>
    <p>${j.address(invitation.email)}</p>
    <p>${j.what}</p>
    ${accepted && failure && html`<p>${j.joinedButNotLoaded}</p>`}
    <${Problem} error=${failure} />
    <button type="button" onClick=${join} disabled=${busy}>${busy ? j.joining : accepted ? j.continue : j.join}</button>
  </main>`;
}

/** After joining: the member's lasting key, shown once, and what it is (see docs/dashboard.md, "Joining a workspace"). */
export function Joined({ t, me, apiKey, onDone }) {
  const j = t.join;
  return html`<main class="narrow joined">
    <h1>${j.welcome(me.workspace.name)}</h1>
    <p role="status">${j.member(j.roles[me.user.role] || me.user.role)}</p>
    <${SecretOnce} t=${t} id="joined-key" label=${j.keyLabel(apiKey.name)} value=${apiKey.key}>
      <p>${j.lasting}</p>
      <p>${me.user.role === 'admin' ? j.revokeAdmin : j.revokeOther}</p>
    <//>
    <button type="button" onClick=${onDone}>${j.toInbox}</button>
  </main>`;
}
