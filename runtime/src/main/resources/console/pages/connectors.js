// Connectors and node: the node's readiness, each connector's state, lag and counters, pause and resume.
import {api} from '../api.js';
import {h, table, section, say, confirmAction, problemBox} from '../dom.js';

export async function render(main, {can}) {
  const health = await fetch('/health', {cache: 'no-store'}).then((r) => r.json()).catch(() => null);
  const r = await api('GET', '/connectors');
  const rerender = async () => {
    main.replaceChildren(h('h1', {}, 'Connectors and node'));
    await render(main, {can});
  };
  if (health) {
    main.append(section('Node', h('p', {id: 'node-health'}, `Status: ${health.status || 'unknown'}`)));
  }
  const act = async (c, verb) => {
    const ok = await confirmAction({title: `${verb === 'pause' ? 'Pause' : 'Resume'} ${c.id}?`,
      action: verb === 'pause' ? 'Pause' : 'Resume',
      message: verb === 'pause' ? 'The connector stops taking data from its source until resumed.'
        : 'The connector takes data from its source again.'});
    if (!ok) return;
    try {
      await api('POST', `/connectors/${encodeURIComponent(c.id)}/${verb}`);
      say(`${c.id}: ${verb}d.`, 'ok');
      await rerender();
    } catch (e) { main.append(problemBox(e)); }
  };
  main.append(section('Connectors', table('Every connector of this node', ['Connector', 'Type', 'State',
    'Lag (s)', 'Received', 'Journalled', 'Failed', 'Last error', 'Actions'], r.connectors.map((c) => [c.id, c.type,
    c.state, c.lagSeconds === null ? '' : String(c.lagSeconds), String(c.received), String(c.journalled),
    String(c.failed), c.lastErrorKind ? `${c.lastErrorKind} at ${c.lastErrorAt}` : '',
    h('div', {class: 'row-actions'},
      c.state !== 'PAUSED' && can('POST', '/api/v1/connectors/{id}/pause')
        ? h('button', {type: 'button', onclick: () => act(c, 'pause')}, `Pause ${c.id}`) : null,
      c.state === 'PAUSED' && can('POST', '/api/v1/connectors/{id}/resume')
        ? h('button', {type: 'button', onclick: () => act(c, 'resume')}, `Resume ${c.id}`) : null)]))));
}
