// Line charts as inline SVG, drawn here without a library: a few lines of geometry are easier to audit than a
// dependency. Each chart is a <figure> whose caption names it, whose SVG is an image labelled by that caption, and
// whose numbers are also in a data table (in a <details>) for screen readers and for anyone who wants the values.
// Series differ by colour and by dash pattern, and the legend names them, so nothing is told by colour alone.
import {h, uid} from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 640;
const HEIGHT = 200;
const PAD = {left: 52, right: 12, top: 10, bottom: 26};
const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2', '10 4'];
const COLOURS = 6;

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined && value !== '') el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** A rounded top for the y axis: 1, 2 or 5 times a power of ten, at least the largest value. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= max);
}

function clock(date) {
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

function number(value) {
  if (value === null || value === undefined) return '';
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

/**
 * A line chart over a time window.
 * @param {{id: string, title: string, unit: string, from: Date, to: Date,
 *          series: {name: string, points: {at: Date, value: number|null}[]}[]}} spec
 */
export function lineChart({id, title, unit, from, to, series}) {
  const captionId = uid('chart');
  const values = series.flatMap((x) => x.points.map((p) => p.value)).filter((v) => v !== null);
  const top = niceMax(Math.max(0, ...values));
  const span = Math.max(1, to - from);
  const x = (at) => PAD.left + ((at - from) / span) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / top) * (HEIGHT - PAD.top - PAD.bottom);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => s('g', {},
    s('line', {class: 'grid-line', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(top * f), y2: y(top * f)}),
    s('text', {x: PAD.left - 6, y: y(top * f) + 4, 'text-anchor': 'end'}, number(top * f))));
  const axis = [
    s('line', {class: 'axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0)}),
    s('text', {x: PAD.left, y: HEIGHT - 6}, clock(from)),
    s('text', {x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end'}, clock(to)),
  ];
  const lines = series.map((line, i) => {
    let path = '';
    let pen = 'M';
    for (const p of line.points) {
      if (p.value === null) { pen = 'M'; continue; }
      path += `${pen}${x(p.at).toFixed(1)},${y(p.value).toFixed(1)} `;
      pen = 'L';
    }
    const cls = `series series-${i % COLOURS}`;
    return s('g', {},
      path ? s('path', {class: cls, d: path.trim(), 'stroke-dasharray': DASHES[i % DASHES.length]}) : null,
      line.points.filter((p) => p.value !== null).map((p) => s('circle', {class: `${cls} dot`, cx: x(p.at).toFixed(1),
        cy: y(p.value).toFixed(1), r: 2.5})));
  });
  const svg = s('svg', {viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-labelledby': captionId,
    preserveAspectRatio: 'xMidYMid meet'}, grid, axis, lines);
  const legend = h('ul', {class: 'legend'}, series.map((line, i) => h('li', {},
    s('svg', {viewBox: '0 0 24 8', width: 24, height: 8, 'aria-hidden': 'true'},
      s('line', {class: `series series-${i % COLOURS}`, x1: 0, x2: 24, y1: 4, y2: 4,
        'stroke-dasharray': DASHES[i % DASHES.length]})), ` ${line.name}`)));
  const times = [...new Set(series.flatMap((line) => line.points.map((p) => p.at.getTime())))].sort((a, b) => a - b);
  const table = h('table', {},
    h('caption', {}, `${title} (${unit})`),
    h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Time'), series.map((line) => h('th', {scope: 'col'},
      line.name)))),
    h('tbody', {}, times.map((t) => h('tr', {}, h('th', {scope: 'row'}, clock(new Date(t))), series.map((line) => {
      const p = line.points.find((q) => q.at.getTime() === t);
      return h('td', {}, p ? number(p.value) : '');
    })))));
  return h('figure', {class: 'chart', id},
    h('figcaption', {id: captionId}, `${title} (${unit}), ${clock(from)} to ${clock(to)}`),
    svg, legend, h('details', {}, h('summary', {}, `Data table: ${title}`), table));
}
