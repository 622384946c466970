// Consents: find a patient by identifier, their consents and each consent's history, the decisions their consent
// caused (from the audit), withdrawal, and erasure behind a typed confirmation. The identifier stays in the form.
import {api, query} from '../api.js';
import {h, field, table, section, pre, say, confirmAction, problemBox} from '../dom.js';

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
        const decisions = await api('GET', `/audit${query({patient: id, limit: 200})}`);
        out.append(table('Decisions and events about this patient (newest last)', ['#', 'At', 'Kind', 'Details'],
          decisions.entries.map((e) => [String(e.position), e.recordedAt, e.kind,
            h('span', {class: 'mono small'}, Object.entries(e.details).map(([k, v]) => `${k}=${v}`).join(' '))])));
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
      const r = await api('GET', `/consents/${encodeURIComponent(consentId)}/history${query({patient: id})}`);
      out.append(section(`History of ${consentId}`, r.versions.map((v) => h('details', {},
        h('summary', {}, `Version ${v.version}: ${v.resource.status || ''}`), pre(v.resource)))));
    } catch (e) { out.append(problemBox(e)); }
  };
  const withdraw = async (id, consentId) => {
    const ok = await confirmAction({title: `Withdraw consent ${consentId}?`, action: 'Withdraw',
      message: 'A new version with status inactive is stored; deliveries that needed this consent stop at once.'});
    if (!ok) return;
    try {
      await api('DELETE', `/consents/${encodeURIComponent(consentId)}${query({patient: id})}`);
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
