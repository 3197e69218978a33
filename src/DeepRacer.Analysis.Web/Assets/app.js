// drlog dashboard: one shell, a page per path, data from /api, live updates from /api/events (server-sent events).
'use strict';

const params = new URLSearchParams(location.search);
const source = Number(params.get('source') || 0);
const page = location.pathname.replace(/\/$/, '') || '/';
const main = document.getElementById('main');
const plotConfig = { responsive: true, displaylogo: false };
let sources = [];
let refresh = null;
let version = -1;

const pages = [
  ['/', 'Overview'], ['/episodes', 'Episodes'], ['/track', 'Track'], ['/evaluations', 'Evaluations'], ['/compare', 'Compare'], ['/reward', 'Reward'],
];

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (k === 'text') node.textContent = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function link(path, extra) {
  const q = new URLSearchParams(extra || {});
  q.set('source', source);
  return path + '?' + q.toString();
}

async function api(path, extra) {
  const response = await fetch(link('/api/' + path, extra));
  const body = await response.json();
  if (!response.ok) throw new Error(body.error || response.statusText);
  return body;
}

// Answers over every step of a big model are computed in the background: ask again until they are there.
async function settled(path, extra, waiting) {
  for (;;) {
    const body = await api(path, extra);
    if (!body.pending) return body;
    if (waiting) waiting();
    await new Promise(r => setTimeout(r, 500));
  }
}

function fmt(v, digits) {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (Number.isInteger(v)) return String(v);
  return v.toFixed(digits === undefined ? 2 : digits);
}

function plot(div, figure, height) {
  const layout = Object.assign({}, figure.layout, { autosize: true, height: height || 380 });
  layout.margin = Object.assign({}, layout.margin || {}, { l: 55, r: 25, t: 45, b: 80 });
  // The legend under the x axis title, not on it.
  layout.legend = Object.assign({}, layout.legend || {}, { orientation: 'h', y: -0.28, yanchor: 'top' });
  return Plotly.react(div, figure.data, layout, plotConfig);
}

function charts(container, figures, cls, height) {
  // All holders first, so each chart sizes itself to its final grid cell.
  const divs = (figures || []).map(() => el('div', { class: 'chart ' + (cls || '') }));
  container.replaceChildren(...divs);
  divs.forEach((div, i) => plot(div, figures[i], height));
}

function table(data, options) {
  options = options || {};
  const head = el('tr', {}, data.columns.map((c, i) => el('th', {
    class: options.sort === c ? 'sorted' + (options.desc ? ' desc' : '') : null,
    onclick: options.onSort ? () => options.onSort(c) : null,
    'data-column': c,
  }, c)));
  const rows = data.rows.map((r, i) => el('tr', {
    'data-key': options.keys ? options.keys[i] : null,
    onclick: options.keys && options.onRow ? () => options.onRow(options.keys[i]) : null,
  }, r.map(v => el('td', {}, fmt(v, 3)))));
  return el('div', { class: 'table-wrap' }, el('table', {}, el('thead', {}, head), el('tbody', {}, rows)));
}

function showError(e) {
  main.replaceChildren(el('h1', {}, 'Cannot show this page'), el('p', { class: 'error' }, e.message));
}

function trackTraces(track) {
  if (!track) return [];
  const line = (l, name, color, width) => ({ type: 'scatter', mode: 'lines', x: l.x, y: l.y, name, hoverinfo: 'skip', line: { color, width }, showlegend: false });
  return [line(track.outer, 'outer', '#888', 1.5), line(track.inner, 'inner', '#888', 1.5), line(track.center, 'centre', '#ccc', 1)];
}

const equalAxes = { yaxis: { scaleanchor: 'x', scaleratio: 1, title: { text: 'y (m)' } }, xaxis: { title: { text: 'x (m)' } } };

// ---- navigation and live badge ----

function nav() {
  const bar = document.getElementById('nav');
  const reward = sources.rewardFunction;
  // The Reward page is there when the dashboard replays a reward function.
  bar.replaceChildren(...pages.filter(([path]) => path !== '/reward' || reward)
    .map(([path, name]) => el('a', { href: link(path), class: page === path ? 'active' : null }, name)));
  const picker = document.getElementById('source-picker');
  if (sources.sources.length > 1) {
    const select = el('select', { onchange: e => { const q = new URLSearchParams(location.search); q.set('source', e.target.value); location.search = q.toString(); } },
      sources.sources.map(s => el('option', { value: s.source, selected: s.source === source }, s.name)));
    picker.replaceChildren(select);
  }
}

function badge(status) {
  const b = document.getElementById('badge');
  if (status.loading) { b.textContent = 'loading ' + status.name + '…'; return; }
  const time = status.updatedAt ? new Date(status.updatedAt).toLocaleTimeString() : '–';
  b.textContent = 'live · iteration ' + fmt(status.latestIteration) + ' · updated ' + time;
  b.className = 'badge ' + (status.warning ? 'stale' : 'live');
  b.title = status.warning || 'Last update and latest iteration loaded';
}

function listen() {
  const events = new EventSource('/api/events');
  events.onmessage = e => {
    const status = JSON.parse(e.data);
    if (status.source !== source) return;
    badge(status);
    if (!status.loading && status.version !== version) {
      version = status.version;
      if (refresh) refresh().catch(showError);
    }
  };
  events.onerror = () => { document.getElementById('badge').className = 'badge stale'; };
}

// ---- pages ----

async function overview() {
  let data;
  try { data = await api('overview'); } catch (e) { if (/loading/i.test(e.message)) return; throw e; }
  const a = data.answer || {};
  const s = data.status;
  const m = data.model;
  const best = a.bestLap;
  const completion = a.completion || {};
  const trend = completion.before === null || completion.before === undefined ? '' :
    (completion.recent >= completion.before ? '▲ from ' : '▼ from ') + fmt(completion.before, 1) + ' %';
  const card = (label, value, note, cls, attrs) => el('div', { class: 'card' }, el('div', { class: 'label' }, label),
    el('div', Object.assign({ class: 'value ' + (cls || '') }, attrs || {}), value), el('div', { class: 'note' }, note || ''));
  const cards = el('div', { class: 'cards' },
    card('Latest iteration', fmt(s.latestIteration), fmt(s.episodes) + ' episodes loaded', '', { 'data-testid': 'latest-iteration' }),
    card('Best lap', best ? el('a', { href: link('/episode', { kind: 'training', key: best.key }) }, fmt(best.time, 3) + ' s') : 'none yet',
      best ? 'iteration ' + best.iteration + ', episode ' + best.episode + (best.worker === null || best.worker === undefined ? '' : ', worker ' + best.worker) : 'no complete lap'),
    card('Completion, last 5 iterations', completion.recent === undefined ? '–' : fmt(completion.recent, 1) + ' %', trend),
    card('Checkpoint to race', a.checkpoint ? 'iteration ' + a.checkpoint.iteration : '–',
      a.checkpoint ? fmt(a.checkpoint.completionRate, 0) + ' % complete, mean lap ' + fmt(a.checkpoint.lapTimeMean, 2) + ' s' : ''),
    card('Simulator health', '…', 'measuring step times', '', { 'data-testid': 'health' }));
  const hyper = Object.entries(m.hyperparameters || {});
  const model = el('div', { class: 'grid2' },
    el('div', { class: 'kv' }, ...[['world', m.world], ['track', m.track], ['track from', m.trackReason], ['action space', m.actionSpace], ['agent', m.agent]]
      .filter(([, v]) => v).flatMap(([k, v]) => [el('div', {}, k), el('div', {}, v)])),
    el('div', { class: 'kv' }, ...hyper.flatMap(([k, v]) => [el('div', {}, k), el('div', {}, v)])));
  const chartBox = el('div', { class: 'grid2' });
  const panels = el('div', { class: 'grid3' });
  const children = [el('h1', {}, s.name), s.warning ? el('p', { class: 'warning' }, s.warning) : '', cards, el('h2', {}, 'Progress'), chartBox, panels];
  if (data.bestLaps) {
    children.push(el('h2', {}, 'Best laps'), el('p', { class: 'muted' }, 'A row opens the lap. Episode numbers count per worker.'),
      table(data.bestLaps, { keys: data.bestLaps.keys, onRow: key => { location.href = link('/episode', { kind: 'training', key }); } }));
  }
  children.push(el('h2', {}, 'Model'), model);
  if (m.actions) {
    children.push(el('h2', {}, 'Action space'), table({ columns: ['action', 'steering (°)', 'speed (m/s)'], rows: m.actions.map(a => [a.index, a.steering, a.speed]) }));
  }
  main.replaceChildren(...children);
  health(cards.querySelector('[data-testid=health]')).catch(showError);

  // Every holder is in place before the first chart is drawn, so each one sizes itself to its final cell.
  const holders = data.charts.map(c => (c.id === 'plot-progress' ? panels : chartBox).appendChild(el('div', { 'data-chart': c.id, class: c.id === 'plot-progress' ? 'contents' : '' })));
  data.charts.forEach((c, i) => charts(holders[i], c.figures, c.id === 'plot-progress' ? 'small' : '', c.id === 'plot-progress' ? 320 : 380));
}

// Step timing reads every step: the server computes it after the rest, so ask until it is there.
async function health(card) {
  const h = await settled('health');
  if (!card.isConnected) return;
  if (h.avgMs === undefined) { card.textContent = '–'; return; }
  card.textContent = h.ok ? 'OK' : 'too slow';
  card.className = 'value ' + (h.ok ? 'ok' : 'bad');
  // The simulator aims at 15 steps a second (66.7 ms); the card turns red over 70 ms mean or 90 ms p95.
  card.nextSibling.textContent = 'step ' + fmt(h.avgMs, 1) + ' ms mean, ' + fmt(h.p95Ms, 1) + ' ms p95 (15 steps/s is 66.7 ms; slow above 70 mean or 90 p95)';
}

function episodesPage() {
  const state = { sort: params.get('sort') || '', desc: params.get('desc') === '1', offset: 0, limit: 50 };
  const kind = params.get('kind') || 'training';
  const field = (name, label, type) => el('label', {}, label, el('input', { type: type || 'number', name, step: 'any', value: params.get(name) || '' }));
  const form = el('form', { class: 'filters', onsubmit: e => { e.preventDefault(); state.offset = 0; load(); } },
    el('label', {}, 'runs', el('select', { name: 'kind', onchange: () => { const q = new URLSearchParams(location.search); q.set('kind', form.kind.value); location.search = q.toString(); } },
      ['training', 'evaluation', 'leaderboard'].map(k => el('option', { value: k, selected: k === kind }, k)))),
    field('from', 'iteration from'), field('to', 'iteration to'), field('worker', 'worker'), field('start', 'start waypoint'),
    field('pmin', 'progress ≥'), field('pmax', 'progress ≤'), field('rmin', 'reward ≥'), field('rmax', 'reward ≤'),
    el('label', {}, 'quintile', el('select', { name: 'quintile' }, ['', '1st', '2nd', '3rd', '4th', '5th'].map(q => el('option', { value: q, selected: q === (params.get('quintile') || '') }, q || 'any')))),
    el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'complete', checked: params.get('complete') === '1' }), 'complete laps only'),
    el('button', { type: 'submit' }, 'Apply'));
  const count = el('span', { 'data-testid': 'episode-count' }, '…');
  const pager = el('span', {});
  const prev = el('button', { onclick: () => { state.offset = Math.max(0, state.offset - state.limit); load(); } }, '‹ previous');
  const next = el('button', { onclick: () => { state.offset += state.limit; load(); } }, 'next ›');
  const holder = el('div', {});
  main.replaceChildren(el('h1', {}, 'Episodes'), form, el('div', { class: 'toolbar' }, el('span', {}, el('b', {}, count), ' episodes match'), prev, pager, next), holder);

  async function load() {
    const q = { kind };
    for (const name of ['from', 'to', 'worker', 'start', 'pmin', 'pmax', 'rmin', 'rmax', 'quintile']) if (form[name].value) q[name] = form[name].value;
    if (form.complete.checked) q.complete = '1';
    if (state.sort) { q.sort = state.sort; q.desc = state.desc ? '1' : '0'; }
    q.offset = state.offset; q.limit = state.limit;
    const data = await api('episodes', q);
    count.textContent = data.filtered;
    pager.textContent = data.filtered === 0 ? '' : (data.offset + 1) + '–' + Math.min(data.offset + state.limit, data.filtered) + ' of ' + data.filtered;
    prev.disabled = state.offset === 0;
    next.disabled = state.offset + state.limit >= data.filtered;
    holder.replaceChildren(table(data, {
      keys: data.keys, sort: state.sort, desc: state.desc,
      onSort: c => { state.desc = state.sort === c ? !state.desc : false; state.sort = c; load(); },
      onRow: key => { location.href = link('/episode', { kind, key }); },
    }));
  }
  return load;
}

// "Iteration 10, episode 102, worker 2" rather than the key: racers know episodes by what the logs call them.
function title(kind, key, episode) {
  const value = name => { const i = episode.columns.indexOf(name); return i < 0 ? null : episode.rows[0][i]; };
  if (kind !== 'training') return kind + ' run ' + value('stream') + ', lap ' + fmt(value('episode'));
  const worker = value('worker');
  return 'Iteration ' + fmt(value('iteration')) + ', episode ' + fmt(value('episode')) + (worker === null ? '' : ', worker ' + fmt(worker));
}

async function episodePage() {
  const kind = params.get('kind') || 'training';
  const key = params.get('key') || '';
  const data = await api('episode', { kind, key });
  const st = data.steps;
  const colour = el('select', { onchange: () => draw() }, ['speed', 'reward', 'action', 'progress', 'steering'].map(c => el('option', { value: c }, c)));
  const slider = el('input', { type: 'range', min: 0, max: st.x.length - 1, value: 0, oninput: () => move(Number(slider.value)) });
  const info = el('span', { class: 'muted' });
  let timer = null;
  const play = el('button', { onclick: () => {
    if (timer) { clearInterval(timer); timer = null; play.textContent = '▶ play'; return; }
    play.textContent = '❚❚ pause';
    timer = setInterval(() => {
      const i = (Number(slider.value) + 1) % st.x.length;
      slider.value = i; move(i);
      if (i === st.x.length - 1) { clearInterval(timer); timer = null; play.textContent = '▶ play'; }
    }, 1000 / 15);
  } }, '▶ play');
  const stepBack = el('button', { onclick: () => { slider.value = Math.max(0, Number(slider.value) - 1); move(Number(slider.value)); } }, '‹ step');
  const stepOn = el('button', { onclick: () => { slider.value = Math.min(st.x.length - 1, Number(slider.value) + 1); move(Number(slider.value)); } }, 'step ›');
  const trackDiv = el('div', { class: 'chart tall', 'data-testid': 'episode-path' });
  const small = el('div', { class: 'grid2' });
  main.replaceChildren(
    el('h1', {}, title(kind, key, data.episode)),
    table(data.episode),
    el('div', { class: 'toolbar' }, el('label', {}, 'colour by ', colour), play, stepBack, slider, stepOn, info),
    trackDiv, small);
  const perStep = [['speed', 'speed (m/s)'], ['steering', 'steering (°)'], ['reward', 'reward'], ['progress', 'progress (%)']];
  const stepDivs = perStep.map(() => small.appendChild(el('div', { class: 'chart small' })));
  perStep.forEach(([col, label], i) => plot(stepDivs[i], {
    data: [{ type: 'scatter', mode: 'lines', x: st.step, y: st[col], name: label, line: { color: '#1f77b4' } }],
    layout: { title: { text: label + ' per step' }, xaxis: { title: { text: 'step' } }, shapes: [cursor(0)], showlegend: false },
  }, 240));

  function cursor(i) { return { type: 'line', x0: st.step[i], x1: st.step[i], yref: 'paper', y0: 0, y1: 1, line: { color: '#d62728', width: 1 } }; }

  function draw() {
    const c = colour.value;
    const traces = trackTraces(data.track);
    traces.push({ type: 'scatter', mode: 'markers', x: st.x, y: st.y, name: c,
      text: st.step.map((s, i) => 'step ' + s + '<br>' + c + ' ' + fmt(st[c][i], 3) + '<br>' + st.status[i]), hoverinfo: 'text',
      marker: { size: 6, color: st[c], colorscale: 'Viridis', showscale: true, colorbar: { title: { text: c } } } });
    traces.push({ type: 'scatter', mode: 'markers', x: [st.x[0]], y: [st.y[0]], name: 'car', marker: { size: 14, color: '#d62728', symbol: 'circle-open', line: { width: 3 } }, showlegend: false });
    plot(trackDiv, { data: traces, layout: Object.assign({ title: { text: data.track ? data.track.name : 'path (track unknown)' }, showlegend: false }, equalAxes) }, 640);
    move(Number(slider.value));
  }

  function move(i) {
    Plotly.restyle(trackDiv, { x: [[st.x[i]]], y: [[st.y[i]]] }, [trackDiv.data.length - 1]);
    stepDivs.forEach(d => Plotly.relayout(d, { shapes: [cursor(i)] }));
    info.textContent = 'step ' + st.step[i] + ' · speed ' + fmt(st.speed[i]) + ' · steering ' + fmt(st.steering[i], 1) + ' · reward ' + fmt(st.reward[i], 3) + ' · progress ' + fmt(st.progress[i], 1) + ' % · ' + st.status[i];
  }

  draw();
}

function trackPage() {
  const column = el('select', { onchange: () => load() }, ['reward', 'speed', 'progress', 'steering_angle', 'action'].map(c => el('option', { value: c }, c)));
  const heat = el('div');
  const exits = el('div', { class: 'chart tall', 'data-testid': 'exit-points' });
  const sections = el('div');
  const starts = el('div');
  const actions = el('div');
  main.replaceChildren(el('h1', {}, 'Track'),
    el('div', { class: 'toolbar' }, el('label', {}, 'heat map of ', column)), heat,
    el('h2', {}, 'Exit points: where episodes left the track or crashed'), exits, sections,
    el('h2', {}, 'Progress by start waypoint'), starts,
    el('h2', {}, 'Actions per section'), actions);

  async function load() {
    const data = await settled('track', { column: column.value }, () => heat.replaceChildren(el('p', { class: 'muted' }, 'Computing the heat map over every step…')));
    charts(heat, data.heat, 'tall', 640);
    const e = data.exits;
    const traces = trackTraces(data.track);
    const pick = crashed => ({ x: e.x.filter((_, i) => e.crashed[i] === crashed), y: e.y.filter((_, i) => e.crashed[i] === crashed) });
    traces.push(Object.assign({ type: 'scatter', mode: 'markers', name: 'off track', marker: { size: 5, color: '#ff7f0e', opacity: 0.6 } }, pick(false)));
    traces.push(Object.assign({ type: 'scatter', mode: 'markers', name: 'crashed', marker: { size: 6, color: '#d62728', symbol: 'x' } }, pick(true)));
    plot(exits, { data: traces, layout: Object.assign({ title: { text: e.total + ' exits' + (e.total > e.x.length ? ' (latest ' + e.x.length + ' drawn)' : '') } }, equalAxes) }, 640);
    sections.replaceChildren(table({ columns: ['section', 'waypoints', 'off track', 'crashed'], rows: e.sections.map(s => [s.name, s.first + '–' + s.last, s.offTrack, s.crashed]) }));
    charts(starts, data.startWaypoints);
    actions.replaceChildren(table(pivot(data.actions)));
  }
  return load;
}

// Actions per section as one row per action and one column per section: the share of the section's steps, in percent.
function pivot(counts) {
  const col = name => counts.columns.indexOf(name);
  // Several sections may share a name ("left"): their waypoints tell them apart.
  const section = r => r[col('section')] + ' ' + r[col('first_waypoint')] + '–' + r[col('last_waypoint')];
  const sections = [...new Set(counts.rows.map(section))];
  const byName = new Map();
  for (const r of counts.rows) {
    const name = r[col('name')];
    if (!byName.has(name)) byName.set(name, {});
    byName.get(name)[section(r)] = r[col('share')] * 100;
  }
  return { columns: ['action', ...sections.map(s => s + ' %')], rows: [...byName].map(([name, shares]) => [name, ...sections.map(s => shares[s] === undefined ? null : shares[s].toFixed(1))]) };
}

function evaluationsPage() {
  const kind = params.get('kind') || 'evaluation';
  const select = el('select', { onchange: () => { const q = new URLSearchParams(location.search); q.set('kind', select.value); location.search = q.toString(); } },
    ['evaluation', 'leaderboard'].map(k => el('option', { value: k, selected: k === kind }, k)));
  const body = el('div');
  main.replaceChildren(el('h1', {}, 'Evaluations and leaderboard runs'), el('div', { class: 'toolbar' }, el('label', {}, 'runs ', select)), body);

  async function load() {
    const data = await api('evaluations', { kind });
    if (!data.laps) { body.replaceChildren(el('p', { class: 'muted' }, 'No ' + kind + ' runs in this source yet.')); return; }
    const figures = el('div', { class: 'grid2' });
    body.replaceChildren(el('h2', {}, 'Laps'), table(data.laps), el('h2', {}, 'Episodes'),
      table(data.episodes, { keys: data.keys, onRow: key => { location.href = link('/episode', { kind, key }); } }),
      el('h2', {}, 'Laps on the track'), data.trackError ? el('p', { class: 'warning' }, data.trackError) : '', figures);
    // The report's light-to-red scale leaves slow points near white on the grey lines: the Episode page's scale instead.
    (data.figures || []).forEach(f => f.data.filter(d => d.marker && Array.isArray(d.marker.color)).forEach(d => { d.marker.colorscale = 'Viridis'; d.marker.colorbar = { title: { text: 'speed' } }; }));
    charts(figures, data.figures, '', 420);
  }
  return load;
}

function comparePage() {
  const body = el('div');
  main.replaceChildren(el('h1', {}, 'Compare'), body);

  async function load() {
    const response = await fetch('/api/compare');
    const data = await response.json();
    const rows = data.sources.map(s => [s.name, s.iterations, s.episodes, s.completeLaps, s.completion, s.bestLap, s.meanLap]);
    const figures = el('div', { class: 'grid2' });
    const best = el('div', { class: 'grid2' }, data.sources.filter(s => s.bestLaps).map(s => el('div', {}, el('h2', {}, 'Best laps: ' + s.name),
      table(s.bestLaps, { keys: s.bestLaps.keys, onRow: key => { location.href = '/episode?' + new URLSearchParams({ source: s.source, kind: 'training', key }); } }))));
    body.replaceChildren(
      el('div', { 'data-testid': 'compare-table', class: 'spaced' }, table({ columns: ['source', 'iterations', 'episodes', 'complete laps', 'completion %', 'best lap (s)', 'mean lap (s)'], rows })),
      figures, best);
    charts(figures, [...data.completion, ...data.progress]);
  }
  return load;
}

function rewardPage() {
  if (!sources.rewardFunction) {
    main.replaceChildren(el('h1', {}, 'Reward'), el('p', { class: 'muted' },
      'Old against new reward, from a reward function replayed over the logged steps. Start the dashboard with ',
      el('code', {}, 'drlog serve SOURCE --reward-function reward_function.py'), ' to see it.'));
    return null;
  }
  const state = { key: params.get('key') || null };
  const head = el('p', { class: 'muted' });
  const cards = el('div', { class: 'cards' });
  const top = el('div', { class: 'grid2' });
  const onTrack = el('div');
  const changes = el('div');
  const stepTitle = el('h2', {}, 'Reward per step');
  const perStep = el('div', { class: 'chart', 'data-testid': 'reward-steps' });
  main.replaceChildren(el('h1', {}, 'Reward: ' + sources.rewardFunction), head, cards,
    el('h2', {}, 'Per episode and per waypoint'), top, el('h2', {}, 'New minus logged reward on the track'), onTrack,
    el('h2', {}, 'Episodes whose rank changes most'), el('p', { class: 'muted' }, 'Rank 1 is the highest total reward. A row shows its steps below.'), changes,
    stepTitle, perStep);

  async function load() {
    const data = await settled('reward', null, () => head.textContent = 'Replaying ' + sources.rewardFunction + ' over the training steps…');
    head.textContent = sources.rewardFunction + ' replayed over ' + fmt(data.steps) + ' training steps (every step the simulator scored; params rebuilt as it computes them).';
    const card = (label, value, note, attrs) => el('div', { class: 'card' }, el('div', { class: 'label' }, label),
      el('div', Object.assign({ class: 'value' }, attrs || {}), value), el('div', { class: 'note' }, note || ''));
    cards.replaceChildren(
      card('Steps with a different reward', fmt(data.differingSteps), 'of ' + fmt(data.steps) + ' replayed; ' + fmt(data.agreement * 100, 2) + ' % give the logged reward', { 'data-testid': 'differing-steps' }),
      card('Episode totals correlate', fmt(data.episodeCorrelation, 4), 'Pearson r, logged against new total per episode'),
      card('Function errors', fmt(data.errors), data.firstError || 'steps where the function failed'));
    const figures = data.charts.filter(c => c.id !== 'difference-on-track').flatMap(c => c.figures);
    // Where both agree the new line lies on the logged one: dotted, both stay visible.
    figures.forEach(f => f.data.filter(d => d.name === 'new').forEach(d => { d.line = Object.assign({}, d.line, { dash: 'dot' }); }));
    charts(top, figures, '', 420);
    if (data.differingSteps === 0 && data.errors === 0) onTrack.replaceChildren(el('p', { class: 'muted' }, 'Every replayed step gets its logged reward: nothing to draw.'));
    else charts(onTrack, data.charts.find(c => c.id === 'difference-on-track').figures, 'tall', 640);
    changes.replaceChildren(table(data.rankChanges, { keys: data.keys, onRow: key => { state.key = key; episode().catch(showError); } }));
    if (!state.key) state.key = data.keys[0];
    await episode();
  }

  async function episode() {
    if (!state.key) return;
    const e = await api('reward/episode', { key: state.key });
    stepTitle.replaceChildren('Reward per step: ' + title('training', e.key, e.episode) + ' ', el('a', { href: link('/episode', { kind: 'training', key: e.key }) }, '(open the lap)'));
    plot(perStep, {
      data: [
        { type: 'scatter', mode: 'lines', x: e.step, y: e.reward, name: 'logged', line: { color: '#1f77b4', width: 2 } },
        { type: 'scatter', mode: 'lines', x: e.step, y: e.newReward, name: 'new', line: { color: '#ff7f0e', width: 2, dash: 'dot' } },
      ],
      layout: { title: { text: 'Logged and new reward per step' }, xaxis: { title: { text: 'step' } }, yaxis: { title: { text: 'reward' } } },
    }, 380);
  }
  return load;
}

// A lap does not change while it is watched: draw it once, not on every update.
function once(draw) {
  return () => { let drawn = false; return async () => { if (!drawn) { drawn = true; await draw(); } }; };
}

async function start() {
  const response = await fetch('/api/sources');
  sources = await response.json();
  nav();
  const status = sources.sources[source];
  if (status) badge(status);
  const routes = {
    '/': () => overview, '/episodes': episodesPage, '/episode': once(episodePage), '/track': trackPage,
    '/evaluations': evaluationsPage, '/compare': comparePage, '/reward': rewardPage,
  };
  refresh = (routes[page] || (() => overview))();
  if (status && status.loading) main.replaceChildren(el('p', { class: 'muted' }, 'Loading ' + status.name + '…'));
  else if (refresh) { version = status ? status.version : -1; await refresh(); }
  listen();
}

start().catch(showError);
