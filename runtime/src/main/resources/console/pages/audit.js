// Audit: query the trail with the CLI's filters, verify the hash chain, export FHIR AuditEvents. The patient
// identifier stays in the form (never in the page address); the API receives it in its query.
import {api, query} from '../api.js';
import * as auth from '../auth.js';
import {h, field, table, section, problemBox} from '../dom.js';

const form = {plugin: '', patient: '', outcome: '', kind: '', receipt: '', since: '', limit: '200'};

export async function render(main) {
  const inputs = {
    plugin: h('input', {type: 'text', id: 'audit-plugin', autocomplete: 'off'}),
    patient: h('input', {type: 'text', id: 'audit-patient', autocomplete: 'off', spellcheck: 'false'}),
    outcome: h('select', {id: 'audit-outcome'}, h('option', {value: ''}, 'any'),
      h('option', {value: 'PERMIT'}, 'permit'), h('option', {value: 'DENY'}, 'deny')),
    kind: h('input', {type: 'text', id: 'audit-kind', autocomplete: 'off', list: 'audit-kinds'}),
    receipt: h('input', {type: 'text', id: 'audit-receipt', autocomplete: 'off', spellcheck: 'false'}),
    since: h('input', {type: 'datetime-local', id: 'audit-since', step: '1'}),
    limit: h('input', {type: 'number', id: 'audit-limit', min: '1', max: '10000'}),
  };
  Object.entries(inputs).forEach(([k, el]) => { el.value = form[k]; });
  const kinds = h('datalist', {id: 'audit-kinds'}, ['decision', 'policy.upload', 'policy.activate',
    'policy.rollback', 'api.call', 'consent.withdraw', 'consent.erasure', 'plugin.disable', 'plugin.enable',
    'connector.pause', 'connector.resume', 'twin.read'].map((k) => h('option', {value: k})));
  const results = h('div', {id: 'audit-results'});
  const verdict = h('div', {id: 'audit-verify', 'aria-live': 'polite'});

  const filters = () => {
    Object.entries(inputs).forEach(([k, el]) => { form[k] = el.value.trim(); });
    return {plugin: form.plugin, patient: form.patient, outcome: form.outcome, kind: form.kind,
      receipt: form.receipt, since: form.since ? new Date(form.since).toISOString() : '', limit: form.limit};
  };
  const search = async (event) => {
    if (event) event.preventDefault();
    try {
      const r = await api('GET', `/audit${query(filters())}`);
      results.replaceChildren(table(`${r.entries.length} entries, newest last`,
        ['#', 'Recorded at', 'Kind', 'Actor', 'Subject', 'Details'],
        r.entries.map((e) => [String(e.position), e.recordedAt, e.kind, e.actor, e.subject,
          h('span', {class: 'mono small'}, Object.entries(e.details).map(([k, v]) => `${k}=${v}`).join(' '))])));
    } catch (e) {
      results.replaceChildren(problemBox(e));
    }
  };
  const verify = async () => {
    try {
      const v = await api('GET', '/audit/verify');
      verdict.replaceChildren(h('div', {class: v.intact ? 'verdict ok' : 'verdict broken', role: 'status'},
        h('strong', {}, v.intact ? 'Chain intact' : 'Chain BROKEN'),
        h('p', {}, `${v.entries} entries, ${v.checkpointsVerified} signed checkpoints verified`
          + (v.problem ? `; problem: ${v.problem}` : '')),
        v.notes.length ? h('ul', {}, v.notes.map((n) => h('li', {}, n))) : null));
    } catch (e) {
      verdict.replaceChildren(problemBox(e));
    }
  };
  const exportEvents = async () => {
    // fetch, not a link: the token goes in the Authorization header, never in an address.
    try {
      const response = await fetch(`/api/v1/audit/export${query(filters())}`, {
        headers: {Authorization: `Bearer ${auth.accessToken()}`}, cache: 'no-store', credentials: 'omit'});
      if (!response.ok) throw new Error(`export failed (HTTP ${response.status})`);
      const url = URL.createObjectURL(await response.blob());
      const a = h('a', {href: url, download: 'audit-events.ndjson'});
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      results.replaceChildren(problemBox(e));
    }
  };

  main.append(section('Query',
    h('form', {id: 'audit-form', onsubmit: search},
      h('div', {class: 'grid'}, field('Plugin id', inputs.plugin),
        field('Patient', inputs.patient, 'system|value or connector:Patient/id'),
        field('Decision', inputs.outcome), field('Kind', inputs.kind), kinds,
        field('Receipt id', inputs.receipt), field('Since (your local time)', inputs.since),
        field('At most', inputs.limit)),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary', id: 'audit-search'}, 'Search'),
        h('button', {type: 'button', id: 'audit-export', onclick: exportEvents}, 'Export as FHIR AuditEvents')))),
  section('Chain', h('button', {type: 'button', id: 'audit-verify-run', onclick: verify},
    'Verify the hash chain and signatures'), verdict),
  results);
  await search();
}
