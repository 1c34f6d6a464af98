// Checking a mailed link's token before anything is used (POST /v1/auth/sign-in-links/check, /v1/invitations/check):
// shared by the sign-in confirmation (ConfirmLink.js) and the invitation page (Invitation.js).
import { useEffect, useState } from 'preact/hooks';
import { apiWithoutKey } from '../api.js';

/** Whether the API refused the token itself (used, expired, unknown): anything else (network, 503) is worth a retry. */
export const refusesToken = error => error.status === 401 || error.status === 409;

/**
 * Posts `body` to `path` without the tab's key; `onRefused` gets a refusal of the token. Answers
 * `[answer, failure, checkAgain]`: the check's data once it came, what failed otherwise, and a retry.
 */
export function useTokenCheck(path, body, onRefused) {
  const [answer, setAnswer] = useState(null);
  const [failure, setFailure] = useState(null);
  const [attempt, setAttempt] = useState(0);
  const token = JSON.stringify(body);
  useEffect(() => {
    let current = true;
    apiWithoutKey('POST', path, body).then(
      checked => { if (current) setAnswer(checked.data); },
      error => { if (current) { if (refusesToken(error)) onRefused(error); else setFailure(error); } });
    return () => { current = false; };
  }, [path, token, attempt]);
  return [answer, failure, () => { setFailure(null); setAttempt(attempt + 1); }];
}
