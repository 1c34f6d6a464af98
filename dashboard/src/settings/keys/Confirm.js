// A confirmation step for what cannot be undone: a modal <dialog> (focus stays inside, Escape cancels, keyboard only works).
import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../../ui.js';
import { Refused } from './Refused.js';

/** Shown while mounted; `onConfirm` may throw an ApiError, which is shown in the dialog (explained by `known`). */
export function Confirm({ t, title, action, onConfirm, onClose, known, children }) {
  const dialog = useRef(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  useEffect(() => { dialog.current?.showModal(); }, []);

  async function confirm() {
    setBusy(true);
    setError(null);
    try { await onConfirm(); dialog.current?.close(); } catch (e) { setError(e); } finally { setBusy(false); }
  }
  return html`<dialog ref=${dialog} class="confirm" aria-labelledby="confirm-title" onClose=${onClose}>
    <h3 id="confirm-title">${title}</h3>
    ${children}
    <${Refused} error=${error} known=${known} />
    <div class="actions">
      <button type="button" class="danger" disabled=${busy} onClick=${confirm}>${action}</button>
      <button type="button" class="secondary" onClick=${() => dialog.current?.close()}>${t.settings.keys.shared.cancel}</button>
    </div>
  </dialog>`;
}
