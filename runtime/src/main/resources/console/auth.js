// OpenID Connect authorization code flow with PKCE (S256), done in the browser against the node's issuer.
// Tokens live in this module's memory only: never in web storage, cookies or the address bar. The
// sign-in happens in a separate window, so this page (and any unsaved edit on it) stays as it is while the user
// signs in, also when a session ends and they sign in again.

let config = null;
let session = null; // {access, refresh, idToken, subject}
let refreshTimer = null;
const expiredListeners = [];
let waiting = [];

export async function init() {
  const response = await fetch('config.json', {cache: 'no-store'});
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body.detail || `the console's login settings are unavailable (HTTP ${response.status})`);
  }
  config = await response.json();
}

export function accessToken() {
  return session ? session.access : null;
}

export function subject() {
  return session ? session.subject : null;
}

/** Called when the session ends (refresh refused, or the API said 401). */
export function onExpired(listener) {
  expiredListeners.push(listener);
}

function b64url(bytes) {
  let text = '';
  for (const b of bytes) text += String.fromCharCode(b);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function random(length) {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return b64url(bytes);
}

function claims(jwt) {
  const part = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(part), (c) => c.charCodeAt(0))));
}

function redirectUri() {
  return `${location.origin}/console/callback.html`;
}

/** Opens the sign-in window and resolves once this page holds tokens. */
export async function login() {
  if (!crypto.subtle) {
    throw new Error('This page is not a secure context: open the console over https (or on 127.0.0.1).');
  }
  const verifier = random(48);
  const state = random(16);
  const nonce = random(16);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  const url = new URL(config.authorizationEndpoint);
  url.search = new URLSearchParams({
    response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid',
    state, nonce, code_challenge: b64url(new Uint8Array(digest)), code_challenge_method: 'S256',
  }).toString();
  const channel = new BroadcastChannel('twinbridge-login');
  const popup = window.open(url.toString(), 'twinbridge-login', 'popup=yes,width=560,height=720');
  if (!popup) {
    channel.close();
    throw new Error('The browser blocked the sign-in window: allow pop-ups for this page, then sign in again.');
  }
  let answer;
  try {
    answer = await new Promise((resolve, reject) => {
      channel.onmessage = (event) => {
        const params = new URLSearchParams(String(event.data));
        if (params.get('state') === state) resolve(params);
      };
      const watch = setInterval(() => {
        if (popup.closed) {
          clearInterval(watch);
          // A closing window may still have its answer in flight: give it a moment.
          setTimeout(() => reject(new Error('The sign-in window was closed before signing in.')), 1500);
        }
      }, 500);
    });
  } finally {
    channel.close();
  }
  if (answer.get('error')) {
    throw new Error(`Sign-in failed: ${answer.get('error')}`);
  }
  const previous = session ? session.subject : lastSubject;
  await tokenRequest({
    grant_type: 'authorization_code', code: answer.get('code'), redirect_uri: redirectUri(),
    client_id: config.clientId, code_verifier: verifier,
  });
  if (session.idToken && claims(session.idToken).nonce !== nonce) {
    session = null;
    throw new Error('Sign-in failed: the identity provider answered for another request.');
  }
  const changedUser = previous !== null && previous !== session.subject;
  waiting.forEach((resolve) => resolve());
  waiting = [];
  return {changedUser};
}

let lastSubject = null;

async function tokenRequest(form) {
  const response = await fetch(config.tokenEndpoint, {
    method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'},
    body: new URLSearchParams(form).toString(), credentials: 'omit', cache: 'no-store',
  });
  if (!response.ok) {
    throw new Error(`the identity provider refused the sign-in (HTTP ${response.status})`);
  }
  const tokens = await response.json();
  const idToken = tokens.id_token || (session && session.idToken);
  session = {
    access: tokens.access_token, refresh: tokens.refresh_token || null, idToken,
    subject: claims(tokens.access_token).sub,
  };
  lastSubject = session.subject;
  clearTimeout(refreshTimer);
  const seconds = Number(tokens.expires_in) || 60;
  refreshTimer = setTimeout(refresh, Math.max(5, seconds - 30) * 1000);
}

async function refresh() {
  if (!session || !session.refresh) {
    expire();
    return;
  }
  try {
    await tokenRequest({grant_type: 'refresh_token', refresh_token: session.refresh, client_id: config.clientId});
  } catch (e) {
    expire();
  }
}

/** Drops the tokens and tells the page; the page offers to sign in again and keeps what it shows. */
export function expire() {
  clearTimeout(refreshTimer);
  if (session === null) return;
  session = null;
  expiredListeners.forEach((listener) => listener());
}

/** Resolves once the user is signed in again. */
export function whenSignedIn() {
  if (session) return Promise.resolve();
  return new Promise((resolve) => waiting.push(resolve));
}

/** Ends the session here and at the identity provider, then returns to the console's start page. */
export function logout() {
  const idToken = session && session.idToken;
  clearTimeout(refreshTimer);
  session = null;
  if (config && config.endSessionEndpoint) {
    const url = new URL(config.endSessionEndpoint);
    const params = {client_id: config.clientId, post_logout_redirect_uri: `${location.origin}/console/`};
    if (idToken) params.id_token_hint = idToken;
    url.search = new URLSearchParams(params).toString();
    location.assign(url.toString());
  } else {
    location.assign('/console/');
  }
}
