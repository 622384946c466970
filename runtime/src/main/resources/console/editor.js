// A plain-text YAML editor that shows located errors at their lines: a line-number gutter marks each line with an
// error, the line is highlighted, and the message is written at the end of the line (behind the transparent text
// area, so typing is the browser's own). The list below the editor names every error with a button that moves the
// cursor to it; the text area is described by that list for screen readers.
import {h, uid} from './dom.js';

export function yamlEditor(label) {
  const id = uid('editor');
  const errorsId = `${id}-errors`;
  const textarea = h('textarea', {id, wrap: 'off', spellcheck: 'false', autocomplete: 'off',
    autocapitalize: 'off', 'aria-describedby': errorsId, rows: '22'});
  const gutter = h('div', {class: 'gutter', 'aria-hidden': 'true'});
  const backdrop = h('div', {class: 'backdrop', 'aria-hidden': 'true'});
  const list = h('ul', {id: errorsId, class: 'errors'});
  const element = h('div', {class: 'editor'}, h('label', {for: id}, label),
    h('div', {class: 'editor-frame'}, gutter, h('div', {class: 'code'}, backdrop, textarea)), list);
  let errors = [];

  function paint() {
    const lines = textarea.value.split('\n');
    const byLine = new Map();
    for (const e of errors) {
      if (!byLine.has(e.line)) byLine.set(e.line, []);
      byLine.get(e.line).push(e);
    }
    gutter.replaceChildren(...lines.map((_, i) => {
      const here = byLine.get(i + 1);
      return h('div', {class: here ? 'ln err' : 'ln'}, here ? `! ${i + 1}` : String(i + 1));
    }));
    backdrop.replaceChildren(...lines.map((text, i) => {
      const here = byLine.get(i + 1);
      return h('div', {class: here ? 'bl err' : 'bl', 'data-line': i + 1}, h('span', {class: 'ghost'}, text || ' '),
        here ? h('span', {class: 'inline-error'}, here.map((e) => `  ← ${e.code} ${e.message}`).join(' ')) : null);
    }));
    sync();
  }

  function sync() {
    backdrop.style.transform = `translate(${-textarea.scrollLeft}px, ${-textarea.scrollTop}px)`;
    gutter.style.transform = `translateY(${-textarea.scrollTop}px)`;
  }

  function goTo(line, column) {
    const lines = textarea.value.split('\n');
    let offset = 0;
    for (let i = 0; i < Math.min(line - 1, lines.length); i++) offset += lines[i].length + 1;
    offset += Math.max(0, (column || 1) - 1);
    textarea.focus();
    textarea.setSelectionRange(offset, offset);
    const lineHeight = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
    textarea.scrollTop = Math.max(0, (line - 4) * lineHeight);
    sync();
  }

  textarea.addEventListener('input', paint);
  textarea.addEventListener('scroll', sync);

  return {
    element,
    textarea,
    get value() { return textarea.value; },
    set value(text) { textarea.value = text; paint(); },
    /** Shows errors of this file: [{line, column, code, message}]; others are listed by the caller. */
    setErrors(found) {
      errors = found.filter((e) => e.line > 0);
      textarea.setAttribute('aria-invalid', found.length ? 'true' : 'false');
      list.replaceChildren(...found.map((e) => h('li', {},
        h('button', {type: 'button', class: 'link', onclick: () => goTo(e.line, e.column)},
          `Line ${e.line}, column ${e.column}`), ` ${e.code}: ${e.message}`)));
      paint();
    },
    goTo,
  };
}
