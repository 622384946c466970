// The console's shell: sign-in, the navigation the user's roles allow, and a hash router (#/policies, ...). The
// address never holds patient data: pages keep identifiers in their forms, and the API gets them in its calls.
import * as auth from './auth.js';
import {api} from './api.js';
import {h, say, problemBox} from './dom.js';
import * as policies from './pages/policies.js';
import * as audit from './pages/audit.js';
import * as plugins from './pages/plugins.js';
import * as consents from './pages/consents.js';
import * as connectors from './pages/connectors.js';
import * as twins from './pages/twins.js';

// Each page, and the operation that must be allowed for it to show in the navigation.
const PAGES = [
  {id: 'policies', title: 'Policies', needs: ['GET', '/api/v1/policies'], page: policies},
  {id: 'audit', title: 'Audit', needs: ['GET', '/api/v1/audit'], page: audit},
  {id: 'plugins', title: 'Plugins', needs: ['GET', '/api/v1/plugins'], page: plugins},
  {id: 'consents', title: 'Consents', needs: ['GET', '/api/v1/consents'], page: consents},
  {id: 'connectors', title: 'Connectors and node', needs: ['GET', '/api/v1/connectors'], page: connectors},
  {id: 'twins', title: 'Twin outputs', needs: ['GET', '/api/v1/twins'], page: twins},
];

const main = document.getElementById('main');
let me = null;

function can(method, path) {
  return Boolean(me) && me.operations.some((op) => op.method === method && op.path === path);
}

function visiblePages() {
  return PAGES.filter((p) => can(...p.needs));
}

function showLogin(error) {
  main.replaceChildren(h('h1', {}, 'Sign in'),
    h('p', {}, 'Sign in with your hospital account. What you can see and do here follows your TwinBridge role.'),
    error ? problemBox(error) : null,
    h('button', {type: 'button', id: 'login', onclick: signIn}, 'Sign in'));
  document.title = 'TwinBridge console';
}

async function signIn() {
  try {
    say('Signing in…');
    await auth.login();
    say('');
    await start();
  } catch (e) {
    showLogin(e);
  }
}

async function start() {
  me = await api('GET', '/me');
  document.getElementById('who').textContent = `Signed in · ${me.roles.join(', ') || 'no TwinBridge role'}`;
  document.getElementById('logout').hidden = false;
  const nav = document.getElementById('nav');
  nav.replaceChildren(...visiblePages().map((p) => h('li', {}, h('a', {href: `#/${p.id}`, 'data-page': p.id},
    p.title))));
  if (!visiblePages().length) {
    main.replaceChildren(h('h1', {}, 'No access'), h('p', {}, 'Your account has no TwinBridge role that opens a '
      + 'page of this console. Ask your administrator for one of: privacy-officer, integration-admin, auditor, '
      + 'clinician.'));
    return;
  }
  await route();
}

async function route() {
  if (!me) return;
  const wanted = location.hash.startsWith('#/') ? location.hash.slice(2) : '';
  const pages = visiblePages();
  const current = pages.find((p) => p.id === wanted) || pages[0];
  if (current.id !== wanted) {
    history.replaceState(null, '', `#/${current.id}`);
  }
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === current.id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${current.title} · TwinBridge console`;
  main.replaceChildren(h('h1', {}, current.title));
  say('');
  try {
    await current.page.render(main, {can, me});
  } catch (e) {
    main.append(problemBox(e));
  }
  main.focus();
}

window.addEventListener('hashchange', () => {
  if (location.hash.startsWith('#/')) route();
});

document.getElementById('logout').addEventListener('click', () => auth.logout());

const dialog = document.getElementById('session-dialog');
auth.onExpired(() => {
  document.getElementById('session-error').textContent = '';
  if (!dialog.open) dialog.showModal();
});
dialog.addEventListener('cancel', (e) => e.preventDefault());
document.getElementById('session-login').addEventListener('click', async () => {
  try {
    const {changedUser} = await auth.login();
    if (changedUser) {
      // Another person signed in: nothing of the previous user's page may stay on screen.
      location.reload();
      return;
    }
    dialog.close();
  } catch (e) {
    document.getElementById('session-error').textContent = e.message;
  }
});

auth.init().then(() => showLogin()).catch((e) => showLogin(e));
