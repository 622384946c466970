// Connectors and node: the node's readiness, each connector's state, lag and counters, pause and resume, the last
// hour's throughput and lag as charts, and the dead letters (parked plugin deliveries, connector dead letters): list,
// replay, drop.
import {api} from '../api.js';
import {h, table, section, say, confirmAction, problemBox} from '../dom.js';
import {lineChart} from '../chart.js';

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
      await rerender();
      say(`${c.id}: ${verb}d.`, 'ok');
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
  if (can('GET', '/api/v1/node/history')) {
    main.append(await lastHour());
  }
  if (can('GET', '/api/v1/deadletters')) {
    main.append(await deadLetters(can, rerender));
  }
}

// One series per connector or plugin id, over every sample (an id missing from a sample is a gap).
function seriesOf(samples, group, field) {
  const ids = [...new Set(samples.flatMap((x) => x[group].map((p) => p.id)))];
  return ids.map((id) => ({name: id, points: samples.map((x) => {
    const p = x[group].find((q) => q.id === id);
    return {at: new Date(x.at), value: p && Number.isFinite(p[field]) ? p[field] : null};
  })}));
}

async function lastHour() {
  const r = await api('GET', '/node/history');
  const minutes = Math.round((r.intervalSeconds * r.capacity) / 60);
  const intro = h('p', {class: 'hint'}, `Sampled by the node every ${r.intervalSeconds} s and kept in its memory for `
    + `${minutes} minutes (empty again after a restart); the rates are per minute between samples.`);
  if (!r.samples.length) {
    return section('The last hour', intro, h('p', {id: 'node-history-empty'}, 'No sample yet.'));
  }
  const to = new Date(r.samples[r.samples.length - 1].at);
  const from = new Date(to.getTime() - minutes * 60000);
  const charts = [
    ['chart-journalled', 'Records journalled per minute, per connector', 'records/min', 'connectors',
      'journalledPerMinute'],
    ['chart-connector-lag', 'Connector lag', 'seconds', 'connectors', 'lagSeconds'],
    ['chart-delivered', 'Records delivered per minute, per plugin', 'records/min', 'plugins', 'deliveredPerMinute'],
    ['chart-cursor-lag', 'Plugin cursor lag', 'journal records', 'plugins', 'cursorLag'],
  ].map(([id, title, unit, group, field]) => ({id, title, unit, series: seriesOf(r.samples, group, field)}))
    .filter((c) => c.series.length)
    .map((c) => lineChart({...c, from, to}));
  return section('The last hour', intro,
    h('div', {class: 'charts', id: 'node-history'}, charts.length ? charts
      : h('p', {}, 'This node has no connectors or plugins to chart.')));
}

async function deadLetters(can, rerender) {
  const out = h('div', {id: 'deadletter-result', 'aria-live': 'polite'});
  const r = await api('GET', '/deadletters');
  const act = async (id, verb) => {
    const ok = await confirmAction({title: `${verb === 'replay' ? 'Replay' : 'Drop'} ${id}?`,
      action: verb === 'replay' ? 'Replay' : 'Drop',
      message: verb === 'replay' ? 'The record is delivered to its plugin once more, through the decision, consent '
        + 'and projection as of now.' : 'The plugin gives up on this record (it stays in the journal), or the '
        + 'connector dead letter is deleted. Recorded in the audit trail.'});
    if (!ok) return;
    try {
      const answer = await api('POST', `/deadletters/${encodeURIComponent(id)}/${verb}`);
      await rerender();
      say(`${id}: ${answer.outcome || 'dropped'}.`, 'ok');
    } catch (e) { out.replaceChildren(problemBox(e)); }
  };
  const buttons = (id, replayable) => h('div', {class: 'row-actions'},
    replayable && can('POST', '/api/v1/deadletters/{id}/replay')
      ? h('button', {type: 'button', onclick: () => act(id, 'replay')}, `Replay ${id}`) : null,
    can('POST', '/api/v1/deadletters/{id}/drop')
      ? h('button', {type: 'button', class: 'danger', onclick: () => act(id, 'drop')}, `Drop ${id}`) : null);
  return section('Dead letters',
    table('Plugin deliveries parked after their retries', ['Id', 'Plugin', 'Journal seq', 'Attempts', 'Parked at',
      'Reason', 'Actions'], r.parked.map((p) => [p.id, p.plugin, String(p.journalSeq), String(p.attempts),
      p.parkedAt, p.reason, buttons(p.id, p.status === 'PARKED')])),
    table('Connector dead letters (source messages that never became records)', ['Id', 'Connector', 'Code',
      'Bytes', 'Seen', 'Last seen', 'Reason', 'Actions'], r.connectors.map((c) => [c.id, c.connector, c.reasonCode,
      String(c.payloadBytes), String(c.occurrences), c.lastSeen, c.reason, buttons(c.id, false)])),
    out);
}
