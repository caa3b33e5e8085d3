// The Swap console: plain JavaScript, no framework, nothing loaded from anywhere but this server.
'use strict';

const PHASES = ['Preflight', 'CreatingCopy', 'InstallingCapture', 'Copying', 'BuildingIndexes', 'Verifying', 'WaitingForCutOver', 'CuttingOver', 'RemovingCapture', 'DroppingOld', 'Done'];
const PHASE_NAMES = {
  Preflight: 'preflight', CreatingCopy: 'create copy', InstallingCapture: 'capture', Copying: 'copy rows',
  BuildingIndexes: 'indexes', Verifying: 'verify', WaitingForCutOver: 'wait for cut-over', CuttingOver: 'cut-over',
  RemovingCapture: 'remove capture', DroppingOld: 'drop old', Done: 'done',
};

const state = { csrf: null, readOnly: true, actions: [], overview: null, live: null, samples: {}, run: null, runKey: null, running: null, events: null };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const fmt = new Intl.NumberFormat('en-US');
const num = (n) => (n === null || n === undefined ? '–' : fmt.format(Math.round(n)));

function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${Math.round(s % 60)}s`;
  return `${Math.floor(m / 60)}h${m % 60}m`;
}

// Times come as UTC, with or without a zone suffix.
const ts = (iso) => Date.parse(/(Z|[+-]\d\d:\d\d)$/.test(iso) ? iso : iso + 'Z');

function when(iso) {
  if (!iso) return '–';
  return new Date(ts(iso)).toISOString().replace('T', ' ').slice(0, 19) + ' UTC';
}

async function api(path, options = {}) {
  const init = { credentials: 'same-origin', headers: {}, ...options };
  if (init.body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(init.body);
  }
  if (init.method && init.method !== 'GET' && state.csrf) init.headers['X-Swap-Csrf'] = state.csrf;
  const response = await fetch(path, init);
  let data = null;
  const text = await response.text();
  try { data = text ? JSON.parse(text) : null; } catch { data = { error: { message: text } }; }
  if (response.status === 401 && path !== '/api/login') {
    showLogin();
    throw new Error('Signed out');
  }
  if (!response.ok) {
    const error = new Error(data && data.error ? data.error.message : `HTTP ${response.status}`);
    error.status = response.status;
    throw error;
  }
  return data;
}

function toast(message, bad) {
  const node = el('div', { class: 'toast' + (bad ? ' bad' : ''), 'data-testid': 'toast' }, message);
  $('toasts').append(node);
  setTimeout(() => node.remove(), bad ? 9000 : 5000);
}

// ---- sign in -------------------------------------------------------------------------------

function showLogin() {
  if (state.events) { state.events.close(); state.events = null; }
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== 'view-login';
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('run-banner').hidden = true;
  $('token').focus();
}

async function login(event) {
  event.preventDefault();
  $('login-error').hidden = true;
  try {
    const result = await api('/api/login', { method: 'POST', body: { token: $('token').value } });
    state.csrf = result.csrf;
    $('token').value = '';
    await start();
  } catch (e) {
    $('login-error').textContent = e.message;
    $('login-error').hidden = false;
  }
}

async function logout() {
  await api('/api/logout', { method: 'POST' }).catch(() => {});
  state.csrf = null;
  showLogin();
}

// ---- routing -------------------------------------------------------------------------------

function route() {
  const view = (location.hash || '#overview').slice(1);
  const known = ['overview', 'live', 'plan', 'rehearsal'].includes(view) ? view : 'overview';
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== 'view-' + known;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === known);
  if (known === 'overview') loadOverview();
  if (known === 'plan') loadPlan();
  if (known === 'rehearsal') loadRehearsal();
  if (known === 'live') renderLive();
}

async function start() {
  let session;
  try {
    session = await api('/api/session');
  } catch {
    return;
  }
  state.csrf = session.csrf || state.csrf;
  state.readOnly = session.readOnly;
  state.actions = session.actions || [];
  $('target').textContent = session.target + (session.readOnly ? '  ·  read-only' : '');
  $('nav').hidden = false;
  $('logout').hidden = false;
  $('up-actions').hidden = !can('up');
  route();
  listen();
}

const can = (action) => !state.readOnly && state.actions.includes(action);

// ---- overview ------------------------------------------------------------------------------

async function loadOverview() {
  try {
    state.overview = await api('/api/overview');
    renderOverview();
  } catch (e) {
    if (e.message !== 'Signed out') toast('Overview: ' + e.message, true);
  }
}

function renderOverview() {
  const o = state.overview;
  if (!o) return;
  const counts = $('counts');
  counts.replaceChildren(...Object.entries(o.counts).filter(([, n]) => n > 0).map(([k, n]) => el('span', { class: 'badge ' + k }, `${n} ${k}`)));
  const next = o.scripts.find((s) => s.id === o.next);
  $('next').replaceChildren(o.next
    ? el('span', {}, 'Next: ', el('code', {}, o.next), next && next.group ? ` (group ${next.group})` : '', next ? ` — ${next.status}` : '')
    : el('span', {}, 'Nothing pending: the database is up to date.'));
  if (o.lockHolder) $('next').append(el('div', { class: 'muted' }, `Run lock held by ${o.lockHolder}`));
  for (const b of document.querySelectorAll('[data-up]')) b.disabled = !o.next || isBusy();

  const modules = new Map();
  for (const s of o.scripts) {
    if (!modules.has(s.module)) modules.set(s.module, []);
    modules.get(s.module).push(s);
  }
  const cards = [];
  for (const [module, scripts] of modules) {
    const body = el('tbody');
    let group;
    for (const s of scripts) {
      if (s.group !== group) {
        group = s.group;
        if (group) body.append(el('tr', { class: 'group-head' }, el('td', { colspan: 7 }, `group ${group}`)));
      }
      body.append(el('tr', { 'data-script': s.id },
        el('td', {}, el('span', { class: 'badge ' + s.status, 'data-testid': 'status-' + s.id }, s.status)),
        el('td', { class: 'id' }, s.id),
        el('td', {}, s.kind || ''),
        el('td', { class: 'num' }, s.batch ?? ''),
        el('td', { class: 'num' }, s.finishedAt ? when(s.finishedAt) : s.startedAt ? when(s.startedAt) : ''),
        el('td', { class: 'num' }, s.durationMs !== undefined && s.durationMs !== null ? duration(s.durationMs) : ''),
        el('td', { class: 'note' }, s.note || s.error || '')));
    }
    cards.push(el('div', { class: 'card' },
      el('h2', {}, `Module ${module}`),
      el('table', {}, el('thead', {}, el('tr', {}, ['Status', 'Script', 'Kind', 'Batch', 'Finished', 'Took', 'Note'].map((h, i) => el('th', { class: i >= 3 && i <= 5 ? 'num' : null }, h)))), body)));
  }
  if (cards.length === 0) cards.push(el('div', { class: 'card empty' }, 'No scripts found.'));
  $('modules').replaceChildren(...cards);

  $('windows-card').hidden = o.revertWindows.length === 0;
  $('windows').tBodies[0].replaceChildren(...o.revertWindows.map((w) => el('tr', {},
    el('td', { class: 'id' }, w.script), el('td', {}, w.tables.join(', ')), el('td', { class: 'num' }, duration(w.ageSeconds * 1000)),
    el('td', { class: 'num' }, when(w.expiresAt)), el('td', { class: 'num' }, w.backlog === undefined ? '–' : num(w.backlog)), el('td', {}, el('code', {}, w.command)))));
  $('leftovers-card').hidden = o.leftovers.length === 0;
  $('cleanup').hidden = !can('cleanup');
  $('leftovers').tBodies[0].replaceChildren(...o.leftovers.map((l) => el('tr', {}, el('td', {}, l.kind), el('td', { class: 'id' }, l.name), el('td', {}, l.detail))));
}

const isBusy = () => state.run && !state.run.finishedAtUtc;

// ---- actions -------------------------------------------------------------------------------

function confirmDialog(title, body, okText, danger) {
  const dialog = $('confirm');
  $('confirm-title').textContent = title;
  $('confirm-body').replaceChildren(...[body].flat());
  const ok = $('confirm-ok');
  ok.textContent = okText;
  ok.className = danger ? 'danger' : 'primary';
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true }));
}

function planNodes(plan) {
  if (plan.scripts.length === 0) return [el('p', {}, 'Nothing to apply: the database is up to date.')];
  return plan.scripts.map((s) => el('div', { class: 'plan-script' },
    el('h3', {}, s.id, el('span', { class: 'muted' }, `  ${s.module} · ${s.mode}`)),
    s.error ? el('p', { class: 'error' }, 'Cannot plan in advance: ' + s.error) : null,
    (s.warnings || []).map((w) => el('p', { class: 'error' }, 'Warning: ' + w)),
    s.steps.map((step) => el('div', { class: 'plan-step' },
      step.description !== 'execute' ? el('div', { class: 'muted' }, step.description) : null,
      step.sql.length ? el('pre', {}, step.sql.join(';\n') + ';') : null))));
}

async function runUp(what) {
  const budget = $('budget').value.trim();
  const postpone = $('postpone').checked;
  let plan;
  try {
    plan = await api('/api/plan?what=' + what);
  } catch (e) {
    toast('Plan: ' + e.message, true);
    return;
  }
  const label = { step: 'Run the next step', group: 'Run the next group', all: 'Run everything pending' }[what];
  const notes = [];
  if (budget) notes.push(`Stops cleanly once ${budget} is spent (between scripts, or inside a swap after the chunk in progress).`);
  if (postpone) notes.push('Each swap waits before its cut-over until you release it on the Live page.');
  const ok = await confirmDialog(label + '?', [
    el('p', {}, `${plan.scripts.length} script(s) on ${plan.target}. This is what swap plan says it will do:`),
    ...notes.map((n) => el('p', { class: 'muted' }, n)),
    ...planNodes(plan)], label, false);
  if (!ok) return;
  try {
    const result = await api('/api/actions/up', { method: 'POST', body: { what, timeBudget: budget || null, postponeCutOver: postpone } });
    state.run = result.run;
    renderRun();
    toast(`Started: ${result.run.what}`);
    if (location.hash !== '#live') location.hash = '#live';
  } catch (e) {
    toast(e.message, true);
  }
}

const CONTROL_TEXT = {
  pause: ['Pause the swap?', 'Copying and applying stop at the next chunk boundary; capture keeps recording the application\'s writes. Lasts until Resume, also for swaps that start later.', 'Pause', false],
  resume: ['Resume the swap?', 'Copying and applying go on from where they stopped.', 'Resume', false],
  'cut-over': ['Release the cut-over?', 'The postponed swap locks the table for a moment (bounded wait), applies the last changes and renames the copy into place.', 'Cut over now', false],
  abort: ['Abort the swap?', 'The swap removes its copy, capture and change log and stops; the original table is untouched and the script stays pending.', 'Abort the swap', true],
};

async function control(command, body) {
  if (CONTROL_TEXT[command]) {
    const [title, text, okText, danger] = CONTROL_TEXT[command];
    if (!await confirmDialog(title, el('p', {}, text), okText, danger)) return;
  }
  try {
    const result = await api('/api/actions/' + command, { method: 'POST', body: body || {} });
    toast(result.message);
  } catch (e) {
    toast(e.message, true);
  }
}

async function cleanup() {
  const o = state.overview;
  const ok = await confirmDialog('Clean up the leftovers?', [
    el('p', {}, 'swap cleanup removes what interrupted runs left behind (never the copies and capture an interrupted script resumes with):'),
    el('ul', {}, o.leftovers.map((l) => el('li', {}, `${l.kind} ${l.name} (${l.detail})`)))], 'Clean up', true);
  if (!ok) return;
  try {
    const result = await api('/api/actions/cleanup', { method: 'POST', body: {} });
    state.run = result.run;
    renderRun();
  } catch (e) {
    toast(e.message, true);
  }
}

// ---- the run this console started -----------------------------------------------------------

function renderRun() {
  const run = state.run;
  const banner = $('run-banner');
  if (!run) { banner.hidden = true; return; }
  banner.hidden = false;
  if (!run.finishedAtUtc) {
    banner.className = 'banner';
    banner.textContent = `Running: ${run.what} — started by ${run.startedBy} at ${when(run.startedAtUtc)}`;
  } else if (run.error) {
    banner.className = 'banner bad';
    banner.textContent = `${run.what} failed (${run.error.kind}, exit code ${run.error.code}): ${run.error.message}`;
  } else {
    banner.className = 'banner ok';
    banner.textContent = `${run.what}: ${run.summary}`;
  }
  for (const b of document.querySelectorAll('[data-up]')) b.disabled = isBusy() || !(state.overview && state.overview.next);
}

// ---- live ----------------------------------------------------------------------------------

function listen() {
  if (state.events) state.events.close();
  const events = new EventSource('/api/events');
  state.events = events;
  events.addEventListener('live', (event) => {
    const data = JSON.parse(event.data);
    if (data.error) { $('live-updated').textContent = 'database unreachable: ' + data.error.message; return; }
    state.live = data.live;
    state.samples = data.samples || {};
    const key = data.run ? data.run.id + ':' + (data.run.finishedAtUtc || '') : null;
    const running = data.live.running;
    const changed = key !== state.runKey || running !== state.running;
    state.run = data.run;
    state.runKey = key;
    state.running = running;
    renderRun();
    renderLive();
    // A run ended or a swap started or stopped: the overview's states changed.
    if (changed && !$('view-overview').hidden) loadOverview();
  });
  events.onerror = () => { $('live-updated').textContent = 'reconnecting…'; };
}

function stat(k, v, testid) {
  return el('div', { class: 'stat' }, el('div', { class: 'k' }, k), el('div', { class: 'v', 'data-testid': testid }, v));
}

function renderLive() {
  const live = state.live;
  if (!live) return;
  $('live-dot').hidden = !live.running;
  $('live-updated').textContent = live.lockHolder ? `Run lock held by ${live.lockHolder}` : 'No run holds the run lock.';
  $('live-empty').hidden = live.swaps.length > 0;
  // A pause sent while no swap runs holds the next one: say so rather than an idle 'No swap is running.'
  $('live-empty').textContent = live.pauseInForce
    ? `No swap is running. A pause sent by ${live.pauseInForce.sentBy} at ${when(live.pauseInForce.sentAt)} is in force: the next swap starts paused until it is resumed.`
    : 'No swap is running.';
  $('swaps').replaceChildren(...live.swaps.map(swapCard));
  renderChart();
  $('commands').tBodies[0].replaceChildren(...live.commands.map((c) => el('tr', {},
    el('td', { class: 'num' }, when(c.sentAt)), el('td', {}, c.command + (c.argument ? ' ' + c.argument : '')),
    el('td', {}, c.sentBy), el('td', {}, c.outcome || 'pending'))));
}

function swapCard(s) {
  const running = state.live.running;
  const at = PHASES.indexOf(s.phase);
  const phases = el('div', { class: 'phases', 'data-testid': 'phases' }, PHASES.slice(0, -1).map((p, i) =>
    el('span', { class: i < at ? 'done' : i === at ? 'now' : '' }, PHASE_NAMES[p])));
  const bar = el('div', { class: 'bar' }, el('div', {}));
  bar.firstChild.style.width = Math.max(0, Math.min(100, s.percent)) + '%';
  const badges = [];
  if (!running) badges.push(el('span', { class: 'badge failed' }, 'stopped: no run holds the lock; swap up resumes it'));
  if (s.paused) badges.push(el('span', { class: 'badge paused', 'data-testid': 'paused' }, `paused by ${s.pausedBy}`));
  if (s.throttled) badges.push(el('span', { class: 'badge throttled' }, `throttled: ${s.throttleReason}`));
  if (s.postponed) badges.push(el('span', { class: 'badge postponed' }, 'cut-over postponed'));
  const controls = el('div', { class: 'controls' });
  if (running && can('pause')) {
    controls.append(s.paused
      ? el('button', { type: 'button', class: 'primary', 'data-testid': 'resume', onclick: () => control('resume') }, 'Resume')
      : el('button', { type: 'button', 'data-testid': 'pause', onclick: () => control('pause') }, 'Pause'));
    if (s.postponed) controls.append(el('button', { type: 'button', class: 'primary', 'data-testid': 'cut-over', onclick: () => control('cut-over') }, 'Release the cut-over'));
    const chunk = el('input', { type: 'text', size: 6, placeholder: '200ms', 'data-testid': 'chunk-time' });
    controls.append(el('label', { class: 'inline' }, 'chunk time', chunk),
      el('button', { type: 'button', onclick: () => chunk.value && control('set', { setting: 'chunk-time', value: chunk.value }) }, 'Set'));
    controls.append(el('button', { type: 'button', class: 'danger', 'data-testid': 'abort', onclick: () => control('abort') }, 'Abort'));
  }
  const copying = s.phase === 'Copying' || s.phase === 'Verifying';
  return el('div', { class: 'card', 'data-testid': 'swap' },
    el('div', { class: 'row head' }, el('h2', {}, `${s.scriptId}: ${s.operation || 'swap'} of ${s.tables.join(', ')}`), el('div', { class: 'row' }, badges)),
    el('div', { class: 'muted' }, `on ${s.host} pid ${s.pid} (${s.runner}) · started ${when(s.startedAtUtc)} · updated ${when(s.updatedAtUtc)}`),
    phases,
    bar,
    el('div', { class: 'stats' },
      stat('phase', `${PHASE_NAMES[s.phase] || s.phase} ${s.table}`, 'phase'),
      stat('rows', copying ? `${num(s.rows)} / ~${num(s.rowsEstimated)}` : num(s.rows), 'rows'),
      stat('done', copying ? `${s.percent.toFixed(1)} %` : '–', 'percent'),
      stat('rows/s', num(s.rowsPerSecond), 'rate'),
      stat('ETA', s.etaSeconds !== undefined && s.etaSeconds !== null ? duration(s.etaSeconds * 1000) : '–', 'eta'),
      stat('change-log backlog', s.backlog !== undefined && s.backlog !== null ? num(s.backlog) : '–', 'backlog'),
      stat('throttle', s.throttled ? 'throttled' : 'clear', 'throttle')),
    el('p', { class: 'muted settings', 'data-testid': 'settings' }, 'Settings: ' + (Object.entries(s.settings).map(([k, v]) => `${k} ${v}`).join(' · ') || '–')),
    controls);
}

function renderChart() {
  const chart = $('chart');
  const series = Object.entries(state.samples);
  if (series.length === 0) {
    chart.replaceChildren(el('p', { class: 'muted' }, 'The chart fills in while a swap runs.'));
    return;
  }
  const [script, points] = series[series.length - 1];
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const W = 1000, H = 220, L = 44, R = 56, T = 10, B = 26;
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  const t0 = ts(points[0].at), t1 = Math.max(t0 + 1000, ts(points[points.length - 1].at));
  const maxRate = Math.max(1, ...points.map((p) => p.rowsPerSecond));
  const x = (p) => L + (W - L - R) * (ts(p.at) - t0) / (t1 - t0);
  const line = (cls, y) => {
    const pl = document.createElementNS(ns, 'polyline');
    pl.setAttribute('class', cls);
    pl.setAttribute('points', points.map((p) => `${x(p).toFixed(1)},${y(p).toFixed(1)}`).join(' '));
    svg.append(pl);
  };
  const text = (tx, ty, s, anchor) => {
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', tx); t.setAttribute('y', ty); t.setAttribute('text-anchor', anchor || 'start');
    t.textContent = s;
    svg.append(t);
  };
  for (const f of [0, 0.5, 1]) {
    const l = document.createElementNS(ns, 'line');
    const y = T + (H - T - B) * (1 - f);
    l.setAttribute('class', 'axis'); l.setAttribute('x1', L); l.setAttribute('x2', W - R); l.setAttribute('y1', y); l.setAttribute('y2', y);
    svg.append(l);
    text(L - 6, y + 4, `${f * 100}%`, 'end');
    text(W - R + 6, y + 4, num(maxRate * f), 'start');
  }
  line('pct', (p) => T + (H - T - B) * (1 - p.percent / 100));
  line('rate', (p) => T + (H - T - B) * (1 - p.rowsPerSecond / maxRate));
  text(L, H - 6, when(points[0].at));
  text(W - R, H - 6, `${points.length} samples · ${script}`, 'end');
  chart.replaceChildren(svg, el('div', { class: 'legend' }, el('span', {}, el('i', {}), 'percent of the phase'), el('span', {}, el('i', { class: 'rate' }), 'rows/s (right axis)')));
}

// ---- plan and rehearsal --------------------------------------------------------------------

async function loadPlan() {
  const what = $('plan-what').value;
  $('plan').replaceChildren(el('p', { class: 'muted' }, 'Planning…'));
  try {
    const plan = await api('/api/plan?what=' + what);
    $('plan').replaceChildren(el('div', { class: 'card' }, planNodes(plan)));
  } catch (e) {
    $('plan').replaceChildren(el('div', { class: 'card error' }, e.message));
  }
}

async function loadRehearsal() {
  const frame = $('rehearsal-frame');
  try {
    const data = await api('/api/rehearsal');
    const r = data.report;
    $('rehearsal-folder').textContent = data.folder;
    $('rehearsal-summary').replaceChildren(el('div', { class: 'card' },
      el('div', { class: 'stats' },
        stat('staging', r.staging), stat('production', r.production || '–'), stat('rehearsed', when(r.startedAt)),
        stat('took on staging', duration(r.durationMs)), stat('projected for production', duration(r.projectedDurationMs)),
        stat('outcome', r.succeeded ? 'every script ran' : `stopped (exit ${r.exitCode})`))));
    frame.src = '/rehearsal';
    frame.hidden = false;
  } catch (e) {
    $('rehearsal-summary').replaceChildren(el('div', { class: 'card empty', 'data-testid': 'no-rehearsal' }, e.message));
    frame.hidden = true;
  }
}

// ---- wiring --------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('login').addEventListener('submit', login);
  $('logout').addEventListener('click', logout);
  $('cleanup').addEventListener('click', cleanup);
  $('plan-what').addEventListener('change', loadPlan);
  for (const b of document.querySelectorAll('[data-up]')) b.addEventListener('click', () => runUp(b.dataset.up));
  window.addEventListener('hashchange', route);
  start();
});
