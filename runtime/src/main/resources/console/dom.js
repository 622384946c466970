// Small DOM helpers. Text always goes in as text nodes (never as HTML), so data from the API cannot inject markup.

/** Builds an element: h('button', {type: 'button', onclick: fn}, 'Save'). */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'value' || key === 'checked') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

let ids = 0;
/** A unique element id. */
export function uid(prefix) {
  ids += 1;
  return `${prefix}-${ids}`;
}

/** A labelled form control: the label names the control for assistive technology. */
export function field(labelText, control, hint) {
  if (!control.id) control.id = uid('f');
  const parts = [h('label', {for: control.id}, labelText), control];
  if (hint) {
    const hintId = uid('hint');
    control.setAttribute('aria-describedby', hintId);
    parts.push(h('span', {class: 'hint', id: hintId}, hint));
  }
  return h('div', {class: 'field'}, parts);
}

/** A table with a caption, column headers and rows of cells (strings or nodes). */
export function table(caption, headers, rows) {
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', {scope: 'col'}, x)))),
    h('tbody', {}, rows.length ? rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c ?? ''))))
      : h('tr', {}, h('td', {colspan: headers.length}, 'None.'))));
}

export function section(title, ...children) {
  const headingId = uid('s');
  return h('section', {'aria-labelledby': headingId}, h('h2', {id: headingId}, title), children);
}

export function pre(value) {
  return h('pre', {class: 'json', tabindex: '0'}, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

/** Announces a message in the status line (polite live region). */
export function say(message, kind) {
  const status = document.getElementById('status');
  status.className = `status ${kind || ''}`;
  status.textContent = message;
}

/**
 * Asks before a consequential action, in a modal dialog (focus stays inside, Escape cancels). With `typed`, the
 * user must type that text exactly before the action is enabled.
 */
export function confirmAction({title, message, action, typed}) {
  return new Promise((resolve) => {
    const input = typed ? h('input', {type: 'text', autocomplete: 'off', spellcheck: 'false'}) : null;
    const go = h('button', {type: 'button', class: 'danger', disabled: Boolean(typed)}, action);
    const cancel = h('button', {type: 'button'}, 'Cancel');
    const titleId = uid('dlg');
    const dialog = h('dialog', {'aria-labelledby': titleId, class: 'confirm'},
      h('h2', {id: titleId}, title), h('p', {}, message),
      input ? field(`Type ${typed} to confirm`, input) : null,
      h('div', {class: 'actions'}, go, cancel));
    if (input) input.addEventListener('input', () => { go.disabled = input.value !== typed; });
    const close = (answer) => { dialog.close(); dialog.remove(); resolve(answer); };
    go.addEventListener('click', () => close(true));
    cancel.addEventListener('click', () => close(false));
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); close(false); });
    document.body.append(dialog);
    dialog.showModal();
    (input || cancel).focus();
  });
}

/** Renders an API problem (or any error) where the user is looking. */
export function problemBox(error) {
  const lines = [h('strong', {}, error.code ? `${error.code}: ${error.title || 'Error'}` : 'Error'),
    h('p', {}, error.detail || error.message || String(error))];
  return h('div', {class: 'problem', role: 'alert'}, lines);
}
