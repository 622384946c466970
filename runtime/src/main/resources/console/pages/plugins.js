// Plugins: each jar's signature and signer, manifest, purpose, what it requests against what the active policy
// grants (resource type by resource type), and enable / disable for integration admins.
import {api} from '../api.js';
import {h, table, section, say, confirmAction, problemBox} from '../dom.js';

export async function render(main, {can}) {
  const r = await api('GET', '/plugins');
  const rerender = async () => {
    main.replaceChildren(h('h1', {}, 'Plugins'));
    await render(main, {can});
  };
  if (!r.plugins.length) main.append(h('p', {}, 'No plugin jars in the node\'s plugin directory.'));
  for (const p of r.plugins) {
    const m = p.manifest || {};
    const gap = p.gap || {granted: [], notGranted: []};
    const toggle = p.enabled === undefined ? null : p.enabled
      ? (can('POST', '/api/v1/plugins/{id}/disable') ? 'disable' : null)
      : (can('POST', '/api/v1/plugins/{id}/enable') ? 'enable' : null);
    main.append(section(`${p.id} ${p.version}`,
      h('dl', {class: 'facts'},
        h('dt', {}, 'Vendor'), h('dd', {}, m.vendor || ''),
        h('dt', {}, 'Description'), h('dd', {}, m.description || ''),
        h('dt', {}, 'Jar'), h('dd', {class: 'mono'}, p.jar),
        h('dt', {}, 'Signature'), h('dd', {}, p.signature),
        h('dt', {}, 'Signer'), h('dd', {}, p.signer || 'none'),
        h('dt', {}, 'Admitted'), h('dd', {}, p.admitted ? 'yes' : `no: ${p.refusal || ''}`),
        h('dt', {}, 'Purpose'), h('dd', {}, p.purpose || ''),
        h('dt', {}, 'Delivery'), h('dd', {}, p.enabled === undefined ? 'not loaded' : p.enabled ? 'enabled'
          : 'disabled'),
        h('dt', {}, 'Outputs'), h('dd', {}, (m.outputs || []).join(', '))),
      table(`What ${p.id} requests and what policy ${gap.policyVersion || ''} grants`,
        ['Requested resource type', 'Granted by the active policy'],
        [...gap.granted.map((t) => [t, 'yes']), ...gap.notGranted.map((t) => [t, h('strong', {}, 'no')])]),
      m.codes && m.codes.length ? h('p', {}, `Requested codes: ${m.codes.join(', ')}`) : null,
      toggle ? h('button', {type: 'button', onclick: async () => {
        const ok = await confirmAction({title: `${toggle === 'disable' ? 'Disable' : 'Enable'} ${p.id}?`,
          action: toggle === 'disable' ? 'Disable' : 'Enable',
          message: toggle === 'disable' ? 'Delivery to this plugin stops; its cursor stays where it is.'
            : 'Delivery resumes where it stopped.'});
        if (!ok) return;
        try {
          await api('POST', `/plugins/${encodeURIComponent(p.id)}/${toggle}`);
          await rerender();
          say(`${p.id} ${toggle}d.`, 'ok');
        } catch (e) { main.append(problemBox(e)); }
      }}, `${toggle === 'disable' ? 'Disable' : 'Enable'} ${p.id}`) : null));
  }
}
