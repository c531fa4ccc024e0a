/*
 * coze-cdc operators' console: a small static app over the management API (/api/v1). Plain JS, no
 * build step. The bearer token is asked once and kept in sessionStorage (this tab, until it closes);
 * it goes only into the Authorization header, never into a URL, the page or a log.
 */
(() => {
  'use strict';

  const TOKEN_KEY = 'cozecdc.console.token';
  const LANG_KEY = 'cozecdc.console.lang';
  const REFRESH_MS = { overview: 2000, configs: 3000 };
  const PAGE_SIZE = 20;

  const I18N = window.CONSOLE_I18N;
  let lang = localStorage.getItem(LANG_KEY) || (browserLanguage().startsWith('zh') ? 'zh' : 'en');

  function browserLanguage() {
    return ((navigator.languages && navigator.languages[0]) || navigator.language || 'en').toLowerCase();
  }

  /** A text in the current language; {name} placeholders filled from vars. */
  function t(key, vars) {
    const table = I18N[lang] && key in I18N[lang] ? I18N[lang] : I18N.en;
    const text = key in table ? table[key] : key;
    return vars ? text.replace(/\{(\w+)\}/g, (m, k) => (vars[k] === undefined || vars[k] === null ? '' : String(vars[k]))) : text;
  }

  /** Children for append/replaceChildren, which would write null as the text "null". */
  const kids = (...list) => list.flat().filter(k => k !== null && k !== undefined && k !== false);

  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));

  /** Builds an element; strings become text nodes (data is never parsed as HTML). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k === 'dataset') Object.assign(node.dataset, v);
      else if (v === true) node.setAttribute(k, '');
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) {
      if (c === undefined || c === null || c === false) continue;
      node.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return node;
  }

  // ---------------------------------------------------------------- token and API

  const token = () => sessionStorage.getItem(TOKEN_KEY);

  class ApiError extends Error {
    constructor(problem) {
      super(problem.detail || problem.title || 'HTTP ' + problem.status);
      this.problem = problem;
    }
  }

  /** Calls the management API with the bearer token; a non-2xx answer throws its problem detail. */
  async function api(method, path, body, useToken) {
    const headers = { Accept: 'application/json, application/problem+json, text/plain' };
    const auth = useToken === undefined ? token() : useToken;
    if (auth) headers.Authorization = 'Bearer ' + auth;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res;
    try {
      res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer' });
    } catch (e) {
      throw new ApiError({ title: t('error.network'), status: 0, detail: String(e.message || e) });
    }
    const type = res.headers.get('Content-Type') || '';
    const text = await res.text();
    let data = text;
    if (type.includes('json') && text) {
      try { data = JSON.parse(text); } catch (e) { data = text; }
    }
    if (!res.ok) {
      const problem = data && typeof data === 'object' ? data : { title: res.statusText, status: res.status, detail: text };
      if (res.status === 401 && useToken === undefined) {
        signOut(t('signin.expired'));
      }
      throw new ApiError(problem);
    }
    return data;
  }

  /** Unauthenticated reads of the service's own /q endpoints (metrics, health), which need no token. */
  async function openText(path) {
    try {
      const res = await fetch(path, { cache: 'no-store', credentials: 'omit' });
      return { status: res.status, text: await res.text() };
    } catch (e) {
      return { status: 0, text: '' };
    }
  }

  // ---------------------------------------------------------------- problems

  function showProblem(err) {
    const box = $('#problem');
    box.replaceChildren(...kids());
    if (!err) { box.hidden = true; return; }
    const p = err.problem || { title: String(err.message || err) };
    box.append(...kids(el('strong', { class: 'problem-title' }, (p.status ? p.status + ' ' : '') + (p.title || '')),
      p.detail ? el('span', { class: 'problem-detail' }, ' — ' + p.detail) : null));
    if (Array.isArray(p.errors) && p.errors.length) {
      box.append(...kids(el('ul', {}, p.errors.map(e => el('li', {}, el('code', {}, e.field), ': ', e.message)))));
    }
    box.append(...kids(el('button', { type: 'button', class: 'link close', 'aria-label': 'close', onclick: () => showProblem(null) }, '×')));
    box.hidden = false;
  }

  /** Field errors next to their fields ([data-field=name]); "fields[2]" goes to "fields". Returns the rest. */
  function showFieldErrors(form, errors) {
    $$('.field-error', form).forEach(n => { n.textContent = ''; n.hidden = true; });
    $$('.invalid', form).forEach(n => n.classList.remove('invalid'));
    const rest = [];
    for (const e of errors || []) {
      const name = String(e.field || '').split(/[[.]/)[0];
      const holder = name && $('[data-field="' + CSS.escape(name) + '"]', form);
      if (!holder) { rest.push(e); continue; }
      holder.classList.add('invalid');
      const out = $('.field-error', holder);
      out.textContent = (out.textContent ? out.textContent + '; ' : '') + (e.field === name ? '' : e.field + ': ') + e.message;
      out.hidden = false;
    }
    return rest;
  }

  // ---------------------------------------------------------------- shell

  let current = { timer: null, alive: false };

  function stopPage() {
    current.alive = false;
    if (current.timer) clearInterval(current.timer);
    current = { timer: null, alive: false };
  }

  function applyLanguage() {
    document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('title');
    $$('[data-i18n]').forEach(n => { n.textContent = t(n.dataset.i18n); });
    $('#lang').textContent = lang === 'zh' ? 'English' : '中文';
    $('#lang').title = t('lang.switch');
  }

  function signOut(message) {
    stopPage();
    sessionStorage.removeItem(TOKEN_KEY);
    renderSignIn(message);
  }

  function renderSignIn(message) {
    $('#nav').hidden = true;
    $('#signout').hidden = true;
    showProblem(null);
    const form = el('form', { id: 'signin', class: 'card signin', autocomplete: 'off' },
      el('h1', { 'data-i18n': 'signin.title' }),
      el('p', { 'data-i18n': 'signin.help' }),
      el('label', {}, el('span', { 'data-i18n': 'signin.token' }),
        el('input', { type: 'password', id: 'token', required: true, autocomplete: 'off' })),
      el('p', { id: 'signin-error', class: 'error', hidden: !message }, message || ''),
      el('button', { type: 'submit', id: 'signin-submit', 'data-i18n': 'signin.submit' }));
    $('#main').replaceChildren(...kids(form));
    wireSignIn(form);
    applyLanguage();
  }

  function wireSignIn(form) {
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      const input = $('#token', form);
      const candidate = input.value.trim();
      const error = $('#signin-error', form);
      error.hidden = true;
      try {
        await api('GET', '/api/v1/sync-configs', undefined, candidate);
      } catch (e) {
        error.textContent = t('signin.refused') + ' ' + (e.problem && e.problem.detail ? e.problem.detail : e.message);
        error.hidden = false;
        input.value = '';
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, candidate);
      input.value = '';
      if (!location.hash || location.hash === '#/' || location.hash === '#/overview') {
        history.replaceState(null, '', '#/overview');
      }
      route();
    });
  }

  function route() {
    if (!token()) { renderSignIn(); return; }
    stopPage();
    showProblem(null);
    $('#nav').hidden = false;
    $('#signout').hidden = false;
    const hash = location.hash.replace(/^#\/?/, '') || 'overview';
    const [page, arg] = hash.split('/');
    $$('#nav a').forEach(a => a.classList.toggle('active', a.dataset.page === page));
    const main = $('#main');
    main.replaceChildren(...kids());
    current = { timer: null, alive: true };
    const pages = { overview, configs: arg ? editor : configs, failures, tables };
    (pages[page] || overview)(main, arg, current);
    applyLanguage();
  }

  /** Runs load now and every ms while the page is shown; a failure shows its problem and keeps trying. */
  function every(ctx, ms, load) {
    const run = async () => {
      if (!ctx.alive) return;
      try {
        await load();
      } catch (e) {
        if (ctx.alive) showProblem(e);
      }
    };
    run();
    ctx.timer = setInterval(run, ms);
  }

  // ---------------------------------------------------------------- formatting

  const fmtTime = iso => (iso ? new Date(iso).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB') : '—');
  const fmtNum = (n, digits) => (n === null || n === undefined || Number.isNaN(n) ? '—'
    : Number(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits === undefined ? 0 : digits }));

  function fmtAge(seconds) {
    if (seconds === null || seconds === undefined) return '—';
    if (seconds < 60) return t('unit.s', { n: fmtNum(seconds, 1) });
    if (seconds < 3600) return t('unit.min', { n: fmtNum(seconds / 60, 1) });
    return t('unit.h', { n: fmtNum(seconds / 3600, 1) });
  }

  const badge = (value, kind) => el('span', { class: 'badge badge-' + (kind || String(value).toLowerCase()) }, t('state.' + value));

  function pager(total, page, size, go) {
    const pages = Math.max(1, Math.ceil(total / size));
    return el('div', { class: 'pager' },
      el('button', { type: 'button', class: 'prev', disabled: page <= 1, onclick: () => go(page - 1) }, t('page.prev')),
      el('span', { class: 'page-info' }, t('page.info', { page, pages, total })),
      el('button', { type: 'button', class: 'next', disabled: page >= pages, onclick: () => go(page + 1) }, t('page.next')));
  }

  /** A modal confirmation; resolves with the dialog's checkbox state (or true), or null when cancelled. */
  function confirmDialog(title, text, confirmLabel, option) {
    return new Promise(resolve => {
      const box = option ? el('input', { type: 'checkbox', id: 'confirm-option' }) : null;
      const close = value => { overlay.remove(); resolve(value); };
      const overlay = el('div', { class: 'overlay' },
        el('div', { class: 'card modal', role: 'dialog', 'aria-modal': 'true' },
          el('h2', {}, title),
          el('p', { class: 'confirm-text' }, text),
          option ? el('label', { class: 'check' }, box, ' ', option) : null,
          el('div', { class: 'actions' },
            el('button', { type: 'button', class: 'danger', id: 'confirm-ok', onclick: () => close(box ? box.checked : true) }, confirmLabel),
            el('button', { type: 'button', id: 'confirm-cancel', onclick: () => close(null) }, t('action.cancel')))));
      document.body.append(...kids(overlay));
      $('#confirm-cancel', overlay).focus();
    });
  }

  // ---------------------------------------------------------------- overview

  function parseMetrics(text) {
    const sums = {};
    for (const line of text.split('\n')) {
      if (!line || line[0] === '#') continue;
      const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
      if (!m) continue;
      const v = Number(m[3]);
      if (!Number.isFinite(v)) continue;
      sums[m[1]] = (sums[m[1]] || 0) + v;
    }
    return sums;
  }

  function overview(main, arg, ctx) {
    main.append(...kids(el('h1', {}, t('nav.overview')),
      el('p', { class: 'muted' }, t('overview.refresh', { s: REFRESH_MS.overview / 1000 })),
      el('div', { id: 'overview', class: 'grid' })));
    let previous = null;
    every(ctx, REFRESH_MS.overview, async () => {
      const [pending, list, metricsText, health] = await Promise.all([
        api('GET', '/api/v1/changes/pending'), api('GET', '/api/v1/sync-configs'),
        openText('/q/metrics'), openText('/q/health/ready')]);
      if (!ctx.alive) return;
      const now = Date.now();
      const m = parseMetrics(metricsText.text);
      const rate = (name) => (previous && previous.m[name] !== undefined && m[name] !== undefined
        ? Math.max(0, (m[name] - previous.m[name]) / ((now - previous.at) / 1000)) : null);
      const avgOver = (sum, count) => {
        if (!previous || m[count] === undefined || previous.m[count] === undefined) return null;
        const n = m[count] - previous.m[count];
        return n > 0 ? (m[sum] - previous.m[sum]) / n : null;
      };
      const lagNow = avgOver('cdc_sync_lag_seconds_sum', 'cdc_sync_lag_seconds_count');
      const lagAll = m.cdc_sync_lag_seconds_count ? m.cdc_sync_lag_seconds_sum / m.cdc_sync_lag_seconds_count : null;
      const readyAll = m.cdc_sync_ready_lag_seconds_count ? m.cdc_sync_ready_lag_seconds_sum / m.cdc_sync_ready_lag_seconds_count : null;
      const throughput = rate('cdc_changes_processed_total');
      const callRate = rate('coze_requests_seconds_count');
      previous = { m, at: now };

      let coze = { status: 'UNKNOWN', detail: '' };
      try {
        const h = JSON.parse(health.text);
        const check = (h.checks || []).find(c => c.name === 'coze');
        if (check) coze = { status: check.status, detail: Object.entries(check.data || {}).map(([k, v]) => k + ': ' + v).join('; ') };
      } catch (e) { /* health not readable: unknown */ }

      const byStatus = { ACTIVE: 0, PAUSED: 0, ERROR: 0 };
      let processing = 0, retrying = 0, dead = 0, processingFailed = 0, documents = 0;
      for (const c of list) {
        byStatus[c.status] = (byStatus[c.status] || 0) + 1;
        processing += c.stats.processing; retrying += c.stats.retrying; dead += c.stats.dead;
        processingFailed += c.stats.processingFailed || 0; documents += c.stats.documents;
      }

      const stat = (id, label, value, note) => el('div', { class: 'stat', id },
        el('div', { class: 'stat-label' }, label), el('div', { class: 'stat-value' }, value), note ? el('div', { class: 'muted small' }, note) : null);

      const pendingCard = el('section', { class: 'card wide' },
        el('h2', {}, t('overview.pending')),
        el('div', { class: 'row' },
          stat('pending-total', t('overview.pendingTotal'), fmtNum(pending.total)),
          stat('pending-oldest', t('overview.oldest'), fmtAge(pending.total ? pending.oldestAgeSeconds : null))),
        el('table', { id: 'pending-tables' },
          el('thead', {}, el('tr', {}, el('th', {}, t('col.table')), el('th', { class: 'num' }, t('col.pending')), el('th', { class: 'num' }, t('col.oldestAge')))),
          el('tbody', {}, pending.tables.length ? pending.tables.map(r => el('tr', { dataset: { table: r.table } },
            el('td', {}, r.table), el('td', { class: 'num pending' }, fmtNum(r.pending)), el('td', { class: 'num' }, fmtAge(r.oldestAgeSeconds))))
            : el('tr', {}, el('td', { colspan: 3, class: 'muted' }, t('overview.noPending'))))));

      const syncCard = el('section', { class: 'card' },
        el('h2', {}, t('overview.sync')),
        stat('lag', t('overview.lag'), lagNow === null ? fmtAge(lagAll) : fmtAge(lagNow),
          t('overview.lagNote', { all: fmtAge(lagAll), ready: fmtAge(readyAll) })),
        stat('throughput', t('overview.throughput'), throughput === null ? '—' : t('unit.perS', { n: fmtNum(throughput, 1) })));

      const cozeCard = el('section', { class: 'card' },
        el('h2', {}, 'Coze'),
        el('div', { class: 'stat', id: 'coze-health' }, el('div', { class: 'stat-label' }, t('overview.cozeHealth')),
          el('div', { class: 'stat-value' }, badge(coze.status)), el('div', { class: 'muted small' }, coze.detail)),
        stat('coze-rate', t('overview.callRate'), callRate === null ? '—' : t('unit.perS', { n: fmtNum(callRate, 1) }),
          t('overview.rateNote', { limit: fmtNum(m.coze_rate_limit_per_second, 1), inflight: fmtNum(m.coze_calls_in_flight), waiting: fmtNum(m.coze_calls_waiting) })));

      const docsCard = el('section', { class: 'card' },
        el('h2', {}, t('overview.documents')),
        el('div', { class: 'row' },
          stat('docs-synced', t('stats.documents'), fmtNum(documents)),
          stat('docs-processing', t('stats.processing'), fmtNum(processing)),
          stat('docs-failed', t('overview.failed'), fmtNum(processingFailed + dead + retrying),
            t('overview.failedNote', { retrying: fmtNum(retrying), dead: fmtNum(dead), pf: fmtNum(processingFailed) }))));

      const configsCard = el('section', { class: 'card' },
        el('h2', {}, t('overview.configs')),
        el('div', { class: 'row', id: 'configs-by-status' }, Object.entries(byStatus).map(([s, n]) =>
          el('a', { href: '#/configs', class: 'stat', dataset: { status: s } }, el('div', { class: 'stat-label' }, badge(s)), el('div', { class: 'stat-value' }, fmtNum(n))))));

      $('#overview', main).replaceChildren(...kids(pendingCard, syncCard, cozeCard, docsCard, configsCard));
      $('#overview', main).dataset.loaded = String(now);
    });
  }

  // ---------------------------------------------------------------- configurations

  function configs(main, arg, ctx) {
    let page = 1;
    const holder = el('div', { id: 'configs' });
    main.append(...kids(el('div', { class: 'title-row' }, el('h1', {}, t('nav.configs')),
      el('a', { href: '#/configs/new', class: 'button', id: 'new-config' }, t('configs.new'))), holder));

    const act = async (fn) => {
      try { await fn(); showProblem(null); await load(); } catch (e) { showProblem(e); }
    };

    let shownJson = null;
    const load = async (force) => {
      const list = await api('GET', '/api/v1/sync-configs');
      if (!ctx.alive) return;
      // unchanged since the last refresh: keep the rows (and the focus, and a button under the pointer)
      const json = JSON.stringify(list) + '#' + page + lang;
      if (json === shownJson && force !== true) return;
      shownJson = json;
      const pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE));
      if (page > pages) page = pages;
      const shown = list.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
      const rows = shown.map(c => {
        const b = c.backfill;
        const running = b && b.state === 'RUNNING';
        const progress = b ? el('div', { class: 'backfill' },
          running ? el('progress', { max: Math.max(1, b.rowsTotal), value: b.rowsDone }) : null,
          el('span', { class: 'small' }, t('state.' + b.state) + ' ' + fmtNum(b.rowsDone) + '/' + fmtNum(b.rowsTotal)),
          b.error ? el('div', { class: 'error small' }, b.error) : null) : '—';
        const docs = c.stats.documents + c.stats.processing;
        return el('tr', { dataset: { config: c.name, id: c.id } },
          el('td', {}, el('a', { href: '#/configs/' + c.id }, c.name)),
          el('td', {}, c.tableName),
          el('td', { class: 'mono small' }, c.datasetId),
          el('td', {}, badge(c.status), c.statusReason ? el('div', { class: 'muted small' }, c.statusReason) : null),
          el('td', { class: 'num' }, fmtNum(c.stats.documents)),
          el('td', { class: 'num' }, fmtNum(c.stats.processing)),
          el('td', { class: 'num' }, fmtNum(c.stats.retrying)),
          el('td', { class: 'num' }, c.stats.dead ? el('a', { href: '#/failures', onclick: () => sessionStorage.setItem('cozecdc.console.failureConfig', c.id) }, fmtNum(c.stats.dead)) : '0'),
          el('td', {}, progress),
          el('td', { class: 'actions' },
            el('a', { href: '#/configs/' + c.id, class: 'button small' }, t('action.edit')),
            c.enabled
              ? el('button', { type: 'button', class: 'small act-disable', onclick: async () => {
                if (await confirmDialog(t('configs.disableTitle', { name: c.name }), t('configs.disableText', { n: docs }), t('action.disable'))) {
                  act(() => api('POST', '/api/v1/sync-configs/' + c.id + '/disable'));
                }
              } }, t('action.disable'))
              : el('button', { type: 'button', class: 'small act-enable', onclick: async () => {
                if (await confirmDialog(t('configs.enableTitle', { name: c.name }), t('configs.enableText', { n: docs }), t('action.enable'))) {
                  act(() => api('POST', '/api/v1/sync-configs/' + c.id + '/enable'));
                }
              } }, t('action.enable')),
            running
              ? el('button', { type: 'button', class: 'small act-cancel', onclick: () => act(() => api('DELETE', '/api/v1/sync-configs/' + c.id + '/resync')) }, t('action.cancelResync'))
              : el('button', { type: 'button', class: 'small act-resync', disabled: !c.enabled, onclick: () => act(() => api('POST', '/api/v1/sync-configs/' + c.id + '/resync')) }, t('action.resync')),
            el('button', { type: 'button', class: 'small danger act-delete', onclick: async () => {
              const keep = await confirmDialog(t('configs.deleteTitle', { name: c.name }),
                t('configs.deleteText', { n: docs, dataset: c.datasetId }), t('action.delete'), t('configs.keepDocuments'));
              if (keep !== null) {
                act(async () => {
                  const r = await api('DELETE', '/api/v1/sync-configs/' + c.id + (keep ? '?keepDocuments=true' : ''));
                  flash(keep ? t('configs.deletedKept', { name: c.name }) : t('configs.deleted', { name: c.name, n: r.documentsToDelete }));
                });
              }
            } }, t('action.delete'))));
      });
      holder.replaceChildren(...kids(
        el('table', { class: 'list' },
          el('thead', {}, el('tr', {}, ['col.name', 'col.table', 'col.dataset', 'col.status', 'stats.documents', 'stats.processing',
            'stats.retrying', 'stats.dead', 'col.resync', 'col.actions'].map(k => el('th', {}, t(k))))),
          el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 10, class: 'muted' }, t('configs.none'))))),
        list.length > PAGE_SIZE ? pager(list.length, page, PAGE_SIZE, p => { page = p; load(); }) : null));
    };
    every(ctx, REFRESH_MS.configs, load);
  }

  function flash(text) {
    const box = el('div', { class: 'flash', role: 'status' }, text);
    document.body.append(...kids(box));
    setTimeout(() => box.remove(), 4000);
  }

  function editor(main, arg, ctx) {
    const isNew = arg === 'new';
    const field = (name, label, input, help) => el('div', { class: 'field', dataset: { field: name } },
      el('label', { for: 'f-' + name }, label), input, help ? el('div', { class: 'muted small' }, help) : null,
      el('div', { class: 'field-error', hidden: true }));
    const form = el('form', { id: 'config-form', class: 'card', autocomplete: 'off', novalidate: true },
      field('name', t('col.name'), el('input', { id: 'f-name', name: 'name', maxlength: 100 })),
      field('tableName', t('col.table'), el('input', { id: 'f-tableName', name: 'tableName', list: 'table-list', disabled: !isNew }),
        t('editor.tableHelp')),
      el('datalist', { id: 'table-list' }),
      field('datasetId', t('col.dataset'), el('input', { id: 'f-datasetId', name: 'datasetId', inputmode: 'numeric', disabled: !isNew }),
        t('editor.datasetHelp')),
      field('fields', t('editor.fields'), el('div', { id: 'f-fields', class: 'columns' }, el('span', { class: 'muted' }, t('editor.pickTable'))),
        t('editor.fieldsHelp')),
      field('template', t('editor.template'), el('textarea', { id: 'f-template', name: 'template', rows: 5, spellcheck: 'false' }),
        t('editor.templateHelp')),
      el('div', { class: 'field', dataset: { field: 'enabled' } },
        el('label', { class: 'check' }, el('input', { type: 'checkbox', id: 'f-enabled', name: 'enabled', checked: true }), ' ', t('editor.enabled')),
        el('div', { class: 'field-error', hidden: true })),
      el('div', { class: 'actions' },
        el('button', { type: 'submit', id: 'save' }, isNew ? t('action.create') : t('action.save')),
        el('button', { type: 'button', id: 'preview-button' }, t('action.preview')),
        el('a', { href: '#/configs', class: 'button secondary' }, t('action.cancel'))));
    const previewBox = el('section', { id: 'preview', class: 'card' }, el('h2', {}, t('editor.preview')),
      el('p', { class: 'muted', id: 'preview-status' }, t('editor.previewHelp')), el('div', { id: 'preview-docs' }));
    main.append(...kids(el('h1', {}, isNew ? t('configs.new') : t('configs.edit')), el('div', { class: 'editor' }, form, previewBox)));

    let selected = [];
    let original = null;

    const body = () => {
      const b = {
        name: $('#f-name').value,
        tableName: $('#f-tableName').value.trim(),
        datasetId: $('#f-datasetId').value.trim(),
        fields: selected.slice(),
        enabled: $('#f-enabled').checked,
      };
      // related tables are not edited here (the API is), but a save must keep them
      if (original && original.related && original.related.length) b.related = original.related;
      const template = $('#f-template').value;
      if (template.trim()) b.template = template;
      return b;
    };

    const renderColumns = async () => {
      const box = $('#f-fields');
      const table = $('#f-tableName').value.trim();
      if (!table) { box.replaceChildren(...kids(el('span', { class: 'muted' }, t('editor.pickTable')))); return; }
      let cols;
      try {
        cols = await api('GET', '/api/v1/tables/' + encodeURIComponent(table) + '/columns');
      } catch (e) {
        box.replaceChildren(...kids(el('span', { class: 'error' }, e.problem && e.problem.detail ? e.problem.detail : e.message)));
        return;
      }
      if (!ctx.alive) return;
      const names = cols.columns.map(c => c.name);
      selected = selected.filter(n => names.includes(n));
      box.replaceChildren(...kids(
        el('div', { class: 'column-tools' },
          el('button', { type: 'button', class: 'small', id: 'fields-all', onclick: () => { selected = names.slice(); sync(); } }, t('editor.all')),
          el('button', { type: 'button', class: 'small', id: 'fields-none', onclick: () => { selected = []; sync(); } }, t('editor.none')),
          el('span', { class: 'muted small', id: 'fields-order' })),
        el('div', { class: 'column-list' }, cols.columns.map(c => el('label', { class: 'check column', dataset: { column: c.name } },
          el('input', { type: 'checkbox', value: c.name, checked: selected.includes(c.name), onchange: ev => {
            if (ev.target.checked) { if (!selected.includes(c.name)) selected.push(c.name); } else { selected = selected.filter(n => n !== c.name); }
            sync();
          } }),
          ' ', c.name, ' ', el('span', { class: 'muted small' }, c.type + (c.name === cols.keyColumn ? ' · ' + t('editor.key') : '')))))));
      sync(true);
    };

    const sync = (noPreview) => {
      $$('#f-fields input[type=checkbox]').forEach(i => { i.checked = selected.includes(i.value); });
      const order = $('#fields-order');
      if (order) order.textContent = selected.length ? t('editor.order', { list: selected.join(', ') }) : t('editor.allColumns');
      if (!noPreview) schedulePreview();
    };

    let previewTimer = null;
    let previewSeq = 0;
    const schedulePreview = () => { clearTimeout(previewTimer); previewTimer = setTimeout(runPreview, 500); };
    const runPreview = async () => {
      const seq = ++previewSeq;
      const status = $('#preview-status');
      const docs = $('#preview-docs');
      if (!$('#f-tableName').value.trim()) return;
      status.textContent = t('editor.previewing');
      try {
        const r = await api('POST', '/api/v1/sync-configs/preview', body());
        if (seq !== previewSeq || !ctx.alive) return;
        showFieldErrors(form, []);
        showProblem(null);
        status.textContent = r.documents.length ? t('editor.previewOf', { n: r.documents.length, table: r.tableName }) : t('editor.previewEmpty');
        docs.replaceChildren(...kids(...r.documents.map(d => el('article', { class: 'doc' + (d.error ? ' doc-error' : '') },
          el('div', { class: 'muted small' }, t('col.record') + ' ', el('code', {}, d.recordKey),
            d.error ? '' : ' · ' + t('editor.size', { chars: fmtNum(d.characters), tokens: fmtNum(d.estimatedTokens) }),
            d.missingFields.length ? ' · ' + t('editor.missing', { list: d.missingFields.join(', ') }) : ''),
          d.error ? el('p', { class: 'error' }, d.error) : el('pre', { class: 'doc-text' }, d.text)))));
      } catch (e) {
        if (seq !== previewSeq || !ctx.alive) return;
        docs.replaceChildren(...kids());
        status.textContent = t('editor.previewInvalid');
        const rest = e.problem && e.problem.errors ? showFieldErrors(form, e.problem.errors) : null;
        if (!e.problem || !e.problem.errors || (rest && rest.length)) showProblem(e);
      }
    };

    form.addEventListener('input', ev => { if (ev.target.id !== 'f-tableName') schedulePreview(); });
    $('#f-tableName', form).addEventListener('change', () => { renderColumns().then(schedulePreview); });
    $('#preview-button', form).addEventListener('click', () => { clearTimeout(previewTimer); runPreview(); });
    form.addEventListener('submit', async ev => {
      ev.preventDefault();
      showProblem(null);
      try {
        const saved = isNew ? await api('POST', '/api/v1/sync-configs', body()) : await api('PUT', '/api/v1/sync-configs/' + arg, body());
        flash(t(isNew ? 'configs.created' : 'configs.saved', { name: saved.name }));
        location.hash = '#/configs';
      } catch (e) {
        if (e.problem && e.problem.errors) showFieldErrors(form, e.problem.errors);
        showProblem(e);
      }
    });

    (async () => {
      try {
        const tablesList = await api('GET', '/api/v1/tables');
        $('#table-list').replaceChildren(...kids(...tablesList.map(tb => el('option', { value: tb.table }))));
        if (!isNew) {
          original = await api('GET', '/api/v1/sync-configs/' + encodeURIComponent(arg));
          $('#f-name').value = original.name;
          $('#f-tableName').value = original.tableName;
          $('#f-datasetId').value = original.datasetId;
          $('#f-template').value = original.template || '';
          $('#f-enabled').checked = original.enabled;
          selected = original.fields.slice();
          await renderColumns();
          runPreview();
        }
      } catch (e) {
        showProblem(e);
      }
    })();
  }

  // ---------------------------------------------------------------- failures

  function failures(main, arg, ctx) {
    const state = { page: 1, configId: sessionStorage.getItem('cozecdc.console.failureConfig') || '', status: '' };
    sessionStorage.removeItem('cozecdc.console.failureConfig');
    const configSelect = el('select', { id: 'filter-config' }, el('option', { value: '' }, t('failures.allConfigs')));
    const statusSelect = el('select', { id: 'filter-status' }, el('option', { value: '' }, t('failures.allStatuses')),
      el('option', { value: 'RETRYING' }, t('state.RETRYING')), el('option', { value: 'DEAD' }, t('state.DEAD')));
    const holder = el('div', { id: 'failures' });
    const replayAll = el('button', { type: 'button', id: 'replay-all' }, t('failures.replayAll'));
    main.append(...kids(el('h1', {}, t('nav.failures')),
      el('div', { class: 'filters card' },
        el('label', {}, t('col.config') + ' ', configSelect), el('label', {}, t('col.status') + ' ', statusSelect),
        el('button', { type: 'button', id: 'refresh', onclick: () => load() }, t('action.refresh')), replayAll),
      holder));
    let configList = [];

    const act = async (fn) => {
      try { await fn(); showProblem(null); await load(); } catch (e) { showProblem(e); }
    };

    const load = async () => {
      const q = new URLSearchParams({ page: state.page, size: PAGE_SIZE });
      if (state.configId) q.set('configId', state.configId);
      if (state.status) q.set('status', state.status);
      const r = await api('GET', '/api/v1/failures?' + q);
      if (!ctx.alive) return;
      const rows = r.items.map(f => el('tr', { dataset: { failure: f.id, record: f.recordKey } },
        el('td', { class: 'num' }, f.id),
        el('td', {}, f.configName || f.configId),
        el('td', {}, f.tableName, el('div', { class: 'mono small' }, f.recordKey)),
        el('td', {}, f.operation),
        el('td', {}, badge(f.status)),
        el('td', { class: 'message' }, el('code', {}, f.errorCode), ' ', f.errorMessage,
          f.logid ? el('div', { class: 'muted small' }, 'logid ', el('code', { class: 'logid' }, f.logid)) : null),
        el('td', { class: 'num' }, f.attempts),
        el('td', { class: 'small' }, fmtTime(f.updatedAt), f.nextAttemptAt ? el('div', { class: 'muted' }, t('failures.next', { at: fmtTime(f.nextAttemptAt) })) : null),
        el('td', { class: 'actions' },
          el('button', { type: 'button', class: 'small act-replay', onclick: () => act(async () => {
            await api('POST', '/api/v1/failures/' + f.id + '/retry');
            flash(t('failures.replayed', { id: f.id }));
          }) }, t('action.replay')),
          el('button', { type: 'button', class: 'small danger act-discard', onclick: async () => {
            if (await confirmDialog(t('failures.discardTitle', { id: f.id }), t('failures.discardText', { record: f.recordKey, config: f.configName }), t('action.discard'))) {
              act(() => api('DELETE', '/api/v1/failures/' + f.id));
            }
          } }, t('action.discard')))));
      holder.replaceChildren(...kids(
        el('table', { class: 'list' },
          el('thead', {}, el('tr', {}, ['col.id', 'col.config', 'col.record', 'col.operation', 'col.status', 'col.error', 'col.attempts',
            'col.updated', 'col.actions'].map(k => el('th', {}, t(k))))),
          el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 9, class: 'muted', id: 'no-failures' }, t('failures.none'))))),
        pager(r.total, r.page, r.size, p => { state.page = p; load().catch(showProblem); })));
      holder.dataset.total = String(r.total);
    };

    configSelect.addEventListener('change', () => { state.configId = configSelect.value; state.page = 1; load().catch(showProblem); });
    statusSelect.addEventListener('change', () => { state.status = statusSelect.value; state.page = 1; load().catch(showProblem); });
    replayAll.addEventListener('click', async () => {
      const targets = state.configId ? configList.filter(c => String(c.id) === String(state.configId))
        : configList.filter(c => c.stats.dead + c.stats.retrying > 0);
      const names = targets.map(c => c.name).join(', ') || '—';
      if (!targets.length || !(await confirmDialog(t('failures.replayAllTitle'), t('failures.replayAllText', { list: names }), t('action.replay')))) return;
      act(async () => {
        let n = 0;
        for (const c of targets) n += (await api('POST', '/api/v1/failures/retry?configId=' + encodeURIComponent(c.id))).retried;
        flash(t('failures.replayedAll', { n }));
      });
    });

    (async () => {
      try {
        configList = await api('GET', '/api/v1/sync-configs');
        configSelect.append(...kids(...configList.map(c => el('option', { value: c.id }, c.name))));
        configSelect.value = state.configId;
        await load();
      } catch (e) { showProblem(e); }
    })();
  }

  // ---------------------------------------------------------------- tables

  function tables(main, arg, ctx) {
    const input = el('input', { id: 'capture-table', placeholder: t('tables.placeholder') });
    const holder = el('div', { id: 'tables' });
    main.append(...kids(el('h1', {}, t('nav.tables')),
      el('form', { class: 'filters card', id: 'capture-form', onsubmit: ev => {
        ev.preventDefault();
        act(async () => {
          const r = await api('POST', '/api/v1/tables', { table: input.value.trim() });
          input.value = '';
          flash(t('tables.captured', { table: r.table }));
        });
      } }, el('label', {}, t('tables.capture') + ' ', input), el('button', { type: 'submit' }, t('action.install'))),
      holder));
    let page = 1;

    const act = async (fn) => {
      try { await fn(); showProblem(null); await load(); } catch (e) { showProblem(e); }
    };

    const showSql = async (row, table) => {
      const next = row.nextElementSibling;
      if (next && next.classList.contains('sql-row')) { next.remove(); return; }
      try {
        const sql = await api('GET', '/api/v1/tables/' + encodeURIComponent(table) + '/trigger-sql');
        const pre = el('pre', { class: 'sql' }, sql);
        const copy = el('button', { type: 'button', class: 'small act-copy', onclick: async () => {
          await copyText(sql, pre);
          copy.textContent = t('tables.copied');
          setTimeout(() => { copy.textContent = t('action.copy'); }, 2000);
        } }, t('action.copy'));
        row.after(el('tr', { class: 'sql-row' }, el('td', { colspan: 6 }, el('div', { class: 'sql-tools' }, copy,
          el('span', { class: 'muted small' }, t('tables.sqlHelp'))), pre)));
      } catch (e) { showProblem(e); }
    };

    const load = async () => {
      const list = await api('GET', '/api/v1/tables');
      if (!ctx.alive) return;
      const pages = Math.max(1, Math.ceil(list.length / PAGE_SIZE));
      if (page > pages) page = pages;
      const rows = list.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE).map(tb => {
        const row = el('tr', { dataset: { table: tb.table } },
          el('td', {}, tb.table),
          el('td', {}, tb.keyColumn),
          el('td', {}, badge(tb.triggers), tb.detail ? el('div', { class: 'muted small' }, tb.detail) : null),
          el('td', {}, tb.configs.length ? tb.configs.join(', ') : '—'),
          el('td', { class: 'small' }, fmtTime(tb.installedAt)),
          el('td', { class: 'actions' },
            el('button', { type: 'button', class: 'small act-sql', onclick: () => showSql(row, tb.table) }, t('tables.sql')),
            el('button', { type: 'button', class: 'small act-reinstall', onclick: () => act(async () => {
              await api('POST', '/api/v1/tables', { table: tb.table });
              flash(t('tables.captured', { table: tb.table }));
            }) }, t('action.reinstall')),
            el('button', { type: 'button', class: 'small danger act-release', onclick: async () => {
              if (await confirmDialog(t('tables.releaseTitle', { table: tb.table }), t('tables.releaseText', { table: tb.table }), t('action.release'))) {
                act(() => api('DELETE', '/api/v1/tables/' + encodeURIComponent(tb.table)));
              }
            } }, t('action.release'))));
        return row;
      });
      holder.replaceChildren(...kids(
        el('table', { class: 'list' },
          el('thead', {}, el('tr', {}, ['col.table', 'col.key', 'col.triggers', 'nav.configs', 'col.installed', 'col.actions'].map(k => el('th', {}, t(k))))),
          el('tbody', {}, rows.length ? rows : el('tr', {}, el('td', { colspan: 6, class: 'muted' }, t('tables.none'))))),
        list.length > PAGE_SIZE ? pager(list.length, page, PAGE_SIZE, p => { page = p; load().catch(showProblem); }) : null));
    };
    load().catch(showProblem);
  }

  async function copyText(text, pre) {
    try {
      await navigator.clipboard.writeText(text);
    } catch (e) {
      // no clipboard permission (plain http on another host): select the text and copy the old way
      const range = document.createRange();
      range.selectNodeContents(pre);
      const sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      document.execCommand('copy');
    }
  }

  // ---------------------------------------------------------------- start

  $('#lang').addEventListener('click', () => {
    lang = lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem(LANG_KEY, lang);
    if (token()) route(); else applyLanguage();
  });
  $('#signout').addEventListener('click', () => signOut());
  window.addEventListener('hashchange', route);
  wireSignIn($('#signin'));
  applyLanguage();
  if (token()) route();
})();
