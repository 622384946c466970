// Consents: find a patient by identifier, their consents and each consent's history, the decisions each consent
// caused (the audit's decisions whose decision log names that consent), withdrawal, and erasure behind a typed
// confirmation. The identifier stays in the form.
import {api, query} from '../api.js';
import {h, field, table, section, pre, say, confirmAction, problemBox} from '../dom.js';

// The API lists consents as "Consent/abc" and takes the logical id "abc" in its paths.
const pathId = (consentId) => encodeURIComponent(consentId.replace(/^Consent\//, ''));

// Per consent, the delivery decisions it determined (newest 200): made under a rule that requires consent, with this
// consent among the ones that decided. Decisions the per-purpose default made name no consent and are not here.
async function causedDecisions(patient, consents) {
  const ids = [...new Set(consents.map((c) => c.consentId))];
  const tables = [];
  for (const consentId of ids) {
    const r = await api('GET', `/audit${query({patient, kind: 'decision', consent: consentId, limit: 200})}`);
    tables.push(table(`${consentId}: ${r.entries.length} decision(s) (newest last)`, ['#', 'At', 'Plugin',
      'Purpose', 'Outcome', 'Delivery', 'What the consent said', 'Receipt'], r.entries.map((e) => [
      String(e.position), e.recordedAt, e.details.plugin || '', e.details.purpose || '',
      h('span', {class: e.details.outcome === 'PERMIT' ? 'ok' : 'error'}, e.details.outcome || ''),
      e.details.delivery || '', h('span', {class: 'small'}, e.details.consent || ''),
      h('span', {class: 'mono small'}, e.details.receipt || '')])));
  }
  return h('section', {id: 'consent-decisions', 'aria-labelledby': 'consent-decisions-title'},
    h('h2', {id: 'consent-decisions-title'}, 'The decisions their consents caused'), tables.length ? tables
      : h('p', {}, 'The patient has no consent; their decisions, if any, were made by the default for the purpose.'));
}

export async function render(main, {can}) {
  const patient = h('input', {type: 'text', id: 'consent-patient', autocomplete: 'off', spellcheck: 'false'});
  const out = h('div', {id: 'consent-results'});
  const find = async (event) => {
    if (event) event.preventDefault();
    const id = patient.value.trim();
    if (!id) return;
    try {
      const r = await api('GET', `/consents${query({patient: id})}`);
      out.replaceChildren(table(`${r.consents.length} consent(s)`, ['Consent', 'Version', 'Status', 'Source',
        'Actions'], r.consents.map((c) => [c.consentId, String(c.version), c.resource.status || '', c.source,
        h('div', {class: 'row-actions'},
          can('GET', '/api/v1/consents/{id}/history') ? h('button', {type: 'button',
            onclick: () => history(id, c.consentId)}, `History of ${c.consentId}`) : null,
          can('DELETE', '/api/v1/consents/{id}') && c.resource.status === 'active' ? h('button', {type: 'button',
            class: 'danger', onclick: () => withdraw(id, c.consentId)}, `Withdraw ${c.consentId}`) : null)])));
      if (can('GET', '/api/v1/audit')) {
        out.append(await causedDecisions(id, r.consents));
        const events = await api('GET', `/audit${query({patient: id, limit: 200})}`);
        out.append(h('details', {id: 'patient-audit'}, h('summary', {}, `Every audit entry about this patient `
          + `(${events.entries.length}, at most 200)`), table('Decisions and events about this patient (newest last)',
          ['#', 'At', 'Kind', 'Details'], events.entries.map((e) => [String(e.position), e.recordedAt, e.kind,
            h('span', {class: 'mono small'}, Object.entries(e.details).map(([k, v]) => `${k}=${v}`).join(' '))]))));
      }
      if (can('POST', '/api/v1/erasures')) {
        out.append(section('Erasure',
          h('p', {}, 'Erasing crypto-shreds the patient\'s journal, removes their consents and index links, and '
            + 'tells every plugin to purge their twin state. It cannot be undone.'),
          h('button', {type: 'button', class: 'danger', id: 'erase', onclick: () => erase(id)},
            'Erase this patient…')));
      }
    } catch (e) {
      out.replaceChildren(problemBox(e));
    }
  };
  const history = async (id, consentId) => {
    try {
      const r = await api('GET', `/consents/${pathId(consentId)}/history${query({patient: id})}`);
      out.append(section(`History of ${consentId}`, r.versions.map((v) => h('details', {},
        h('summary', {}, `Version ${v.version}: ${v.resource.status || ''}`), pre(v.resource)))));
    } catch (e) { out.append(problemBox(e)); }
  };
  const withdraw = async (id, consentId) => {
    const ok = await confirmAction({title: `Withdraw consent ${consentId}?`, action: 'Withdraw',
      message: 'A new version with status inactive is stored; deliveries that needed this consent stop at once.'});
    if (!ok) return;
    try {
      await api('DELETE', `/consents/${pathId(consentId)}${query({patient: id})}`);
      say(`Consent ${consentId} withdrawn.`, 'ok');
      await find();
    } catch (e) { out.append(problemBox(e)); }
  };
  const erase = async (id) => {
    const ok = await confirmAction({title: 'Erase this patient?', action: 'Erase', typed: 'ERASE',
      message: 'Every stored record of the patient becomes unreadable and every plugin purges their state.'});
    if (!ok) return;
    try {
      const report = await api('POST', '/erasures', {patient: id});
      out.replaceChildren(section('Erased', pre(report)));
      say('The patient was erased.', 'ok');
    } catch (e) { out.append(problemBox(e)); }
  };
  main.append(h('form', {onsubmit: find},
    field('Patient', patient, 'system|value (a business identifier) or connector:Patient/id'),
    h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Find'))), out);
}
