// The dashboard talks to the public REST API only, with the key kept in sessionStorage (never a cookie).
const KEY = 'trackelio.key';

export const session = {
  get key() { return sessionStorage.getItem(KEY); },
  set key(value) { value ? sessionStorage.setItem(KEY, value) : sessionStorage.removeItem(KEY); },
};

/** An error the API answered in its envelope: code, message and the fields it names. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error?.message || `HTTP ${status}`);
    this.status = status;
    this.code = error?.code || 'http_' + status;
    this.details = error?.details || [];
  }
}

/** The event a 401 to a request made with a key raises (its detail the ApiError): the shell signs the tab out. */
export const KEY_REFUSED = 'trackelio:key-refused';

/** `extra` adds request headers the contract asks for (e.g. `X-Confirm: true` on a removal). */
export function api(method, path, body, extra = {}) {
  return request(method, path, body, extra, session.key);
}

/** A call a token in its body authorises (a mailed link's): made without the tab's key, so its 401 signs nobody out. */
export function apiWithoutKey(method, path, body) {
  return request(method, path, body, {}, null);
}

async function request(method, path, body, extra, key) {
  const headers = { Accept: 'application/json', ...extra };
  if (key) headers.Authorization = 'Bearer ' + key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 204) return null;
  const json = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new ApiError(response.status, json?.meta?.error);
    if (response.status === 401 && headers.Authorization) dispatchEvent(new CustomEvent(KEY_REFUSED, { detail: error }));
    throw error;
  }
  return json;
}
