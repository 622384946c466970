// Twin outputs, for clinicians and for treatment only: a patient's newest outputs and alerts from every twin. Each
// read is audited by the node as twin.read. The identifier stays in the form, never in the page address.
import {api, query} from '../api.js';
import {h, field, section, pre, problemBox} from '../dom.js';

export async function render(main) {
  const patient = h('input', {type: 'text', id: 'twin-patient', autocomplete: 'off', spellcheck: 'false'});
  const out = h('div', {id: 'twin-results'});
  const show = async (event) => {
    event.preventDefault();
    try {
      const r = await api('GET', `/twins${query({patient: patient.value.trim(), purpose: 'TREAT'})}`);
      out.replaceChildren(...r.twins.map((t) => section(t.plugin, t.outputs.length ? h('ul', {},
        t.outputs.map((o) => h('li', {}, h('strong', {}, o.kind), ` ${o.summary} `,
          h('details', {}, h('summary', {}, 'Resource'), pre(o.resource))))) : h('p', {}, 'No outputs.'))));
    } catch (e) {
      out.replaceChildren(problemBox(e));
    }
  };
  main.append(h('p', {}, 'For treatment only: reading a patient\'s twin outputs is recorded in the audit trail.'),
    h('form', {onsubmit: show}, field('Patient', patient, 'system|value or connector:Patient/id'),
      h('div', {class: 'actions'}, h('button', {type: 'submit', class: 'primary'}, 'Show outputs'))), out);
}
