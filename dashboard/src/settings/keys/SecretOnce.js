// A secret the API shows only once (a new key, a webhook's signing secret, an invitation token): read-only, selectable, with a Copy button.
import { useState } from 'preact/hooks';
import { html } from '../../ui.js';
import './settings.css';

export function SecretOnce({ t, id, label, value, children }) {
  const s = t.settings.keys.shared;
  const [copied, setCopied] = useState(null);
  async function copy() {
    try { await navigator.clipboard.writeText(value); setCopied(s.copied); } catch { setCopied(s.copyFailed); }
  }
  return html`<div class="secret-once">
    <label for=${id}>${label}</label>
    <div class="secret-row">
      <input id=${id} readonly value=${value} spellcheck="false" autocomplete="off" onFocus=${e => e.target.select()} />
      <button type="button" onClick=${copy}>${s.copy}</button>
    </div>
    <p class="warning">${s.onlyOnce}</p>
    ${children}
    <p role="status" class="copied">${copied}</p>
  </div>`;
}
