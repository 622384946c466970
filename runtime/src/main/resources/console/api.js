// Calls the admin API with the signed-in user's access token. The server's role table decides every call; a 401
// means the session ended: the page waits for the user to sign in again, then repeats the call.
import * as auth from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.errors = problem.errors || [];
  }
}

/** Builds a query string from the non-empty values of `params`. */
export function query(params) {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/**
 * method, path under /api/v1, optional JSON body. Answers the parsed JSON, or the text with {text: true}.
 */
export async function api(method, path, body, options = {}) {
  for (;;) {
    const token = auth.accessToken();
    if (!token) {
      await auth.whenSignedIn();
      continue;
    }
    const headers = {Authorization: `Bearer ${token}`, Accept: 'application/json, application/problem+json'};
    let payload;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const response = await fetch(`/api/v1${path}`, {method, headers, body: payload, cache: 'no-store',
      credentials: 'omit'});
    if (response.status === 401) {
      auth.expire();
      continue;
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new ApiError(response.status, problem);
    }
    return options.text ? response.text() : response.json();
  }
}
