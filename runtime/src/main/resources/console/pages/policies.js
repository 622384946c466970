// Policies: the active set, every stored version and who activated it, the YAML editor with validate's located
// errors, "try a record", the policy tests, the diff against the active version, activate and roll back.
// The draft in the editor lives in this module's memory: it survives moving between pages and signing in again,
// and is never written to browser storage (policy YAML is not patient data, but the rule is simple: nothing is).
import {api, ApiError} from '../api.js';
import {h, field, table, section, pre, say, confirmAction, problemBox} from '../dom.js';
import {yamlEditor} from '../editor.js';
import {SAMPLES} from '../samples.js';

const PURPOSES = ['TREAT', 'ETREAT', 'CAREMGT', 'CLINTRL', 'CLINTRCH', 'HRESCH', 'POPHLTH', 'PUBHLTH', 'HOPERAT',
  'HQUALIMP', 'TRAIN'];

// The unsaved draft: {files: {name: text}, base: version number or null, current: file name}.
const draft = {files: null, base: null, current: 'policy.yaml', saved: null};

export async function render(main, {can, me}) {
  const data = await api('GET', '/policies');
  const active = data.active;
  const versions = data.versions;
  const lastActivation = new Map();
  data.activations.forEach((a) => lastActivation.set(a.version, a));
  const who = (subject) => (subject === me.subject ? 'you' : `user ${subject}`);
  const output = h('div', {id: 'policy-output'});
  const rerender = async () => {
    main.replaceChildren(h('h1', {}, 'Policies'));
    await render(main, {can, me});
  };

  main.append(section('Active policy',
    h('dl', {class: 'facts'},
      h('dt', {}, 'Loaded'), h('dd', {}, active.description || ''),
      h('dt', {}, 'Content version'), h('dd', {class: 'mono'}, active.policyVersion),
      h('dt', {}, 'Stored version'), h('dd', {id: 'active-version'},
        active.version === null ? 'not uploaded through the API (edited in the policy directory)'
          : String(active.version))),
    can('POST', '/api/v1/policies/rollback') && data.activations.length > 1
      ? h('button', {type: 'button', id: 'rollback', onclick: async () => {
        const ok = await confirmAction({title: 'Roll back the policy?', action: 'Roll back',
          message: 'The version that was active before the current one becomes active at once, for every plugin. '
            + 'The rollback is recorded in the audit trail under your user id.'});
        if (!ok) return;
        try {
          const now = await api('POST', '/policies/rollback');
          await rerender();
          say(`Rolled back: version ${now.version} is active.`, 'ok');
        } catch (e) { output.replaceChildren(problemBox(e)); }
      }}, 'Roll back to the previous version') : null));

  const activate = async (v) => {
    const ok = await confirmAction({title: `Activate version ${v.version}?`, action: 'Activate',
      message: `Version ${v.version} (content ${v.policyVersion}) decides every delivery from now on, for every `
        + 'plugin. The activation is recorded in the audit trail under your user id.'});
    if (!ok) return;
    try {
      const now = await api('POST', `/policies/${v.version}/activate`);
      await rerender();
      say(`Version ${now.version} is active.`, 'ok');
    } catch (e) { output.replaceChildren(problemBox(e)); }
  };

  const showDiff = async (from, to) => {
    try {
      const diff = await api('GET', `/policies/${from}/diff/${to}`);
      const files = Object.entries(diff.files);
      output.replaceChildren(section(`Changes from version ${from} to version ${to}`,
        files.length ? files.map(([name, lines]) => h('div', {class: 'diff'}, h('h3', {}, name),
          h('pre', {tabindex: '0'}, lines.map((l) => h('span', {class: l.startsWith('+') ? 'add'
            : l.startsWith('-') ? 'del' : 'same'}, `${l}\n`))))) : h('p', {}, 'No differences.')));
      output.scrollIntoView();
    } catch (e) { output.replaceChildren(problemBox(e)); }
  };

  const rows = versions.slice().reverse().map((v) => {
    const activation = lastActivation.get(v.version);
    const isActive = v.version === active.version;
    const actions = h('div', {class: 'row-actions'},
      can('POST', '/api/v1/policies') ? h('button', {type: 'button', onclick: () => loadDraft(v.version)},
        `Edit a copy of ${v.version}`) : null,
      can('GET', '/api/v1/policies/{version}/diff/{other}') && active.version !== null && !isActive
        ? h('button', {type: 'button', onclick: () => showDiff(active.version, v.version)},
          `Diff ${v.version} with active`) : null,
      can('POST', '/api/v1/policies/{version}/activate') && !isActive
        ? h('button', {type: 'button', class: 'primary', onclick: () => activate(v)}, `Activate ${v.version}`)
        : null);
    return [String(v.version), isActive ? h('strong', {}, 'active') : '', v.policySet,
      h('span', {class: 'mono'}, v.policyVersion), who(v.uploadedBy), v.uploadedAt,
      activation ? `${who(activation.activatedBy)}, ${activation.activatedAt}` : 'never', actions];
  });
  main.append(section('Versions', table('Stored policy versions, newest first',
    ['Version', 'State', 'Policy set', 'Content version', 'Uploaded by', 'Uploaded at', 'Last activated', 'Actions'],
    rows)));
  main.append(section('Activation history', table('Every activation, oldest first',
    ['Version', 'Activated by', 'At'],
    data.activations.map((a) => [String(a.version), who(a.activatedBy), a.activatedAt]))));

  let editor = null;
  if (can('POST', '/api/v1/policies')) {
    editor = editorSection(main, versions, active, output, rerender);
  }
  if (can('POST', '/api/v1/policies/{version}/explain')) {
    main.append(tryRecordSection(versions, active, can));
  }
  if (can('POST', '/api/v1/policies/{version}/test')) {
    main.append(testsSection(versions, active));
  }
  main.append(output);

  async function loadDraft(number) {
    const v = await api('GET', `/policies/${number}`);
    draft.files = {...v.content};
    draft.base = number;
    draft.current = v.content['policy.yaml'] !== undefined ? 'policy.yaml' : Object.keys(v.content)[0];
    if (editor) editor.reload();
    say(`Editing a copy of version ${number}. Nothing changes until you save and activate.`);
  }
  if (editor && draft.files === null && versions.length) {
    await loadDraft(active.version !== null ? active.version : versions[versions.length - 1].version);
  }
}

function editorSection(main, versions, active, output, rerender) {
  const edit = yamlEditor('Policy file');
  const fileSelect = h('select', {id: 'draft-file'});
  const base = h('p', {id: 'draft-base'});
  const otherErrors = h('div', {id: 'draft-other-errors'});
  const result = h('div', {id: 'draft-result', 'aria-live': 'polite'});
  let lastErrors = [];

  const showErrors = () => {
    edit.setErrors(lastErrors.filter((e) => e.file === draft.current));
    const elsewhere = lastErrors.filter((e) => e.file !== draft.current);
    otherErrors.replaceChildren(...(elsewhere.length ? [h('p', {class: 'error'}, 'Errors in other files:'),
      h('ul', {}, elsewhere.map((e) => h('li', {}, `${e.file}:${e.line}:${e.column} ${e.code}: ${e.message}`)))]
      : []));
  };
  const reload = () => {
    const names = Object.keys(draft.files || {'policy.yaml': ''});
    fileSelect.replaceChildren(...names.map((n) => h('option', {value: n}, n)));
    fileSelect.value = draft.current;
    edit.value = (draft.files || {})[draft.current] || '';
    base.textContent = draft.base === null ? 'A new policy set.' : `A copy of version ${draft.base}, not saved.`;
    showErrors();
  };
  edit.textarea.addEventListener('input', () => {
    if (!draft.files) draft.files = {};
    draft.files[draft.current] = edit.value;
    base.textContent = draft.base === null ? 'A new policy set, changed.' : `A copy of version ${draft.base}, `
      + 'changed and not saved.';
  });
  fileSelect.addEventListener('change', () => {
    draft.current = fileSelect.value;
    edit.value = draft.files[draft.current] || '';
    showErrors();
  });

  const save = h('button', {type: 'button', class: 'primary', id: 'draft-save', onclick: async () => {
    if (!draft.files) return;
    try {
      const stored = await api('POST', '/policies', {files: draft.files});
      lastErrors = [];
      showErrors();
      draft.saved = stored.version;
      draft.base = stored.version;
      await rerender();
      say(`Valid. Saved as version ${stored.version} (not active).`, 'ok');
    } catch (e) {
      if (e instanceof ApiError && e.status === 422) {
        lastErrors = e.errors;
        showErrors();
        result.replaceChildren(h('p', {class: 'error', role: 'alert'},
          `${e.errors.length} error(s); nothing was saved. They are marked at their lines.`));
        const first = e.errors.find((x) => x.file === draft.current && x.line > 0);
        if (first) edit.goTo(first.line, first.column);
      } else {
        result.replaceChildren(problemBox(e));
      }
    }
  }}, 'Validate and save as a new version');

  main.append(section('Edit',
    h('p', {}, 'Edit a copy of a stored version. Saving validates the whole set as the node would load it; a valid '
      + 'set is stored as a new version, which you can try, test and compare before activating it.'),
    base, field('File', fileSelect), edit.element, otherErrors, h('div', {class: 'actions'}, save), result));
  reload();
  return {reload};
}

function versionSelect(versions, active, id) {
  const select = h('select', {id}, versions.slice().reverse().map((v) => h('option', {value: String(v.version)},
    `${v.version}${v.version === active.version ? ' (active)' : ''}`)));
  const preferred = draft.saved || active.version;
  if (preferred !== null && preferred !== undefined) select.value = String(preferred);
  return select;
}

function tryRecordSection(versions, active, can) {
  const version = versionSelect(versions, active, 'try-version');
  const plugin = h('input', {type: 'text', id: 'try-plugin', value: 'news2-twin', autocomplete: 'off',
    spellcheck: 'false'});
  const purpose = h('select', {id: 'try-purpose'}, PURPOSES.map((p) => h('option', {value: p}, p)));
  const consent = h('input', {type: 'checkbox', id: 'try-consent', checked: true});
  const sample = h('select', {id: 'try-sample'}, h('option', {value: ''}, 'Paste a record below'),
    SAMPLES.map((s, i) => h('option', {value: String(i)}, s.label)));
  const record = h('textarea', {id: 'try-record', rows: '12', spellcheck: 'false', wrap: 'off'});
  sample.addEventListener('change', () => {
    if (sample.value !== '') record.value = JSON.stringify(SAMPLES[Number(sample.value)].record, null, 2);
  });
  const out = h('div', {id: 'try-result', 'aria-live': 'polite'});
  const run = async () => {
    let parsed;
    try {
      parsed = JSON.parse(record.value);
    } catch (e) {
      out.replaceChildren(h('p', {class: 'error', role: 'alert'}, 'The record is not valid JSON.'));
      return;
    }
    try {
      const r = await api('POST', `/policies/${version.value}/explain`, {plugin: plugin.value.trim(),
        purpose: purpose.value, record: parsed, consentGiven: consent.checked});
      out.replaceChildren(
        h('p', {class: `decision ${r.decision}`, id: 'try-decision'}, r.decision === 'permit' ? 'Permit' : 'Deny',
          r.reason ? ` — ${r.reason}` : ''),
        h('dl', {class: 'facts'},
          h('dt', {}, 'Version'), h('dd', {}, String(r.version)),
          h('dt', {}, 'Rules'), h('dd', {id: 'try-rules'}, (r.rules || []).join(', ') || 'none (default deny)'),
          h('dt', {}, 'Labels'), h('dd', {}, (r.labels || []).join(', ') || 'none'),
          h('dt', {}, 'Consent'), h('dd', {}, r.consent === null ? 'not required' : JSON.stringify(r.consent))),
        h('h3', {}, 'Obligations'), pre(r.obligations),
        h('h3', {}, 'Exact JSON the plugin would receive'),
        r.view === null ? h('p', {}, 'Nothing: the record is denied.') : h('div', {id: 'try-view'}, pre(r.view)));
    } catch (e) {
      out.replaceChildren(problemBox(e));
    }
  };
  return section('Try a record',
    h('p', {}, 'A dry run against any stored version: the decision, the deciding rules, the obligations and the '
      + 'exact JSON the plugin would receive (with preview pseudonyms). Nothing is stored or delivered.'),
    h('div', {class: 'grid'}, field('Policy version', version), field('Plugin id', plugin),
      field('Purpose of use', purpose), h('div', {class: 'field check'}, consent,
        h('label', {for: 'try-consent'}, 'Consent given'))),
    field('Sample record', sample), field('Record (FHIR R4 JSON)', record),
    h('div', {class: 'actions'}, h('button', {type: 'button', class: 'primary', id: 'try-run', onclick: run},
      'Try the record')), out);
}

function testsSection(versions, active) {
  const version = versionSelect(versions, active, 'test-version');
  const out = h('div', {id: 'test-result', 'aria-live': 'polite'});
  const run = async () => {
    try {
      const r = await api('POST', `/policies/${version.value}/test`);
      out.replaceChildren(h('p', {id: 'test-summary', class: r.failed ? 'error' : 'ok'},
        `${r.passed} passed, ${r.failed} failed`),
      table(`Policy tests against version ${r.version}`, ['Result', 'Decision', 'Test', 'Where', 'Failures'],
        r.results.map((t) => [t.passed ? 'PASS' : 'FAIL', t.decision, t.name, t.location,
          t.failures.join('; ')])));
    } catch (e) {
      out.replaceChildren(problemBox(e));
      if (e.errors && e.errors.length) {
        out.append(h('ul', {}, e.errors.map((x) => h('li', {}, `${x.file}:${x.line}:${x.column} ${x.code}: `
          + `${x.message}`))));
      }
    }
  };
  return section('Policy tests',
    h('p', {}, 'Runs the node\'s policy tests (tests/ in the policy directory) against a stored version.'),
    field('Policy version', version),
    h('div', {class: 'actions'}, h('button', {type: 'button', id: 'test-run', onclick: run}, 'Run the tests')), out);
}
