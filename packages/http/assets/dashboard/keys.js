import { fillTable } from './tables.js';

const LIMITS = [
  ['requestsPerMinute', 'req/min', '1'],
  ['tokensPerMinute', 'tokens/min', '1'],
  ['budgetUsdPerDay', 'USD/day', '0.01'],
];

/** A number from a form field: null when empty (the admin API clears a limit with null). */
function limitOf(text) {
  const trimmed = String(text ?? '').trim();
  return trimmed === '' ? null : Number(trimmed);
}

function button(text, className, onClick) {
  const element = document.createElement('button');
  element.type = 'button';
  element.textContent = text;
  if (className) element.className = className;
  element.addEventListener('click', onClick);
  return element;
}

/**
 * Key management through the admin API (`/admin/keys`): list, create (the secret is shown once),
 * edit limits, revoke (a second click confirms). `api(method, path, body)` sends the admin key.
 */
export function keyManager({ form, table, secret, error, api }) {
  let editing;
  /** Team names by id, for the table and the form's team list. */
  let teams = new Map();

  const fail = (reason) => {
    error.textContent = reason instanceof Error ? reason.message : String(reason);
  };

  async function refresh() {
    const [{ data }, teamList] = await Promise.all([api('GET', '/keys'), api('GET', '/teams')]);
    teams = new Map(teamList.data.map((team) => [team.id, team.name]));
    fillTeamChoice();
    const keys = data.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt));
    fillTable(
      table,
      ['name', 'id', 'prefix', 'team', ...LIMITS.map(([, label]) => label), 'models', 'state', ''],
      keys.map((key) => [...cellsOf(key), actionsOf(key)]),
      (index) => ({ keyId: keys[index].id, state: keys[index].revokedAt ? 'revoked' : 'live' }),
    );
  }

  function cellsOf(key) {
    const limits = LIMITS.map(([field, , step]) => {
      if (editing !== key.id) return key[field];
      const input = document.createElement('input');
      input.type = 'number';
      input.min = step;
      input.step = step;
      input.name = field;
      input.ariaLabel = field;
      input.value = key[field] ?? '';
      return input;
    });
    const state = key.revokedAt
      ? 'revoked'
      : key.expiresAt && Date.parse(key.expiresAt) < Date.now()
        ? 'expired'
        : 'live';
    const team = key.teamId && (teams.get(key.teamId) ?? key.teamId);
    return [
      key.name,
      key.id,
      `${key.keyPrefix}…`,
      team,
      ...limits,
      key.allowedModels?.join(', ') ?? 'all',
      state,
    ];
  }

  function actionsOf(key) {
    const actions = document.createElement('span');
    if (key.revokedAt) return actions;
    if (editing === key.id) {
      actions.append(
        button('Save', 'save', (event) => save(key.id, event.target.closest('tr')).catch(fail)),
        button('Cancel', '', () => {
          editing = undefined;
          refresh().catch(fail);
        }),
      );
      return actions;
    }
    actions.append(
      button('Edit limits', 'edit', () => {
        editing = key.id;
        refresh().catch(fail);
      }),
      button('Revoke', 'danger revoke', (event) => {
        const target = event.target;
        if (target.dataset.armed !== 'yes') {
          target.dataset.armed = 'yes';
          target.textContent = 'Confirm revoke';
          return;
        }
        api('POST', `/keys/${encodeURIComponent(key.id)}/revoke`)
          .then(refresh)
          .catch(fail);
      }),
    );
    return actions;
  }

  function fillTeamChoice() {
    const choice = form.elements.namedItem('teamId');
    const chosen = choice.value;
    const options = [...teams].map(([id, name]) => new Option(name, id));
    choice.replaceChildren(new Option('no team', ''), ...options);
    choice.value = teams.has(chosen) ? chosen : '';
  }

  async function save(id, row) {
    const patch = {};
    for (const [field] of LIMITS) patch[field] = limitOf(row.querySelector(`input[name="${field}"]`)?.value);
    await api('PATCH', `/keys/${encodeURIComponent(id)}`, patch);
    editing = undefined;
    error.textContent = '';
    await refresh();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const fields = new FormData(form);
    const body = { name: String(fields.get('name')).trim() };
    for (const [field] of LIMITS) {
      const value = limitOf(fields.get(field));
      if (value !== null) body[field] = value;
    }
    const models = String(fields.get('allowedModels') ?? '')
      .split(',')
      .map((model) => model.trim())
      .filter(Boolean);
    if (models.length > 0) body.allowedModels = models;
    const teamId = String(fields.get('teamId') ?? '');
    if (teamId) body.teamId = teamId;
    api('POST', '/keys', body)
      .then((created) => {
        secret.hidden = false;
        const code = document.createElement('code');
        code.id = 'new-key';
        code.textContent = created.key;
        secret.replaceChildren(`New key "${created.name}" (shown once, copy it now): `, code);
        secret.dataset.keyId = created.id;
        error.textContent = '';
        form.reset();
        return refresh();
      })
      .catch(fail);
  });

  return { refresh };
}
