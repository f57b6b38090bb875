// The console page: every call goes to POST /api (the Step Functions API); every text from it
// is set with textContent, never parsed as HTML.
'use strict';

const view = document.getElementById('view');
const live = document.getElementById('live');
let timer;

async function api(action, body) {
  const r = await fetch('/api', {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${action}` },
    body: JSON.stringify(body ?? {}),
  });
  const data = await r.json();
  if (!r.ok) throw new Error(`${String(data.__type).split('#').pop()}: ${data.message}`);
  return data;
}

/** h('td', { class: 'x' }, 'text', child) */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity))
    if (c !== undefined && c !== null) el.append(c instanceof Node ? c : String(c));
  return el;
}

const svg = (tag, attrs) => {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs ?? {})) el.setAttribute(k, String(v));
  return el;
};

const status = (s) => h('span', { class: `status ${s}`, 'data-status': s }, s);
const when = (t) => (t === undefined ? '' : new Date(t * 1000).toISOString().replace('T', ' ').slice(0, 19));
function duration(start, stop) {
  const s = (stop ?? Date.now() / 1000) - start;
  return s < 1 ? `${Math.round(s * 1000)} ms` : s < 120 ? `${s.toFixed(1)} s` : `${Math.round(s / 60)} min`;
}
const link = (hash, text) => h('a', { href: hash }, text);
const pretty = (text) => {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return String(text);
  }
};

function show(...children) {
  view.replaceChildren(...children.flat(Infinity).filter((c) => c !== '' && c !== undefined && c !== null));
}

function failure(e) {
  show(h('p', { class: 'error' }, e.message));
}

// ---- state machines and their executions ----

async function home() {
  const { stateMachines } = await api('ListStateMachines', { maxResults: 1000 });
  const sections = [];
  let running = false;
  for (const m of stateMachines) {
    const { executions } = await api('ListExecutions', {
      stateMachineArn: m.stateMachineArn,
      maxResults: 20,
    });
    running ||= executions.some((e) => e.status === 'RUNNING');
    const input = h('textarea', { 'aria-label': `input for ${m.name}` }, '{}');
    const start = async () => {
      try {
        const r = await api('StartExecution', { stateMachineArn: m.stateMachineArn, input: input.value });
        location.hash = `#/execution/${encodeURIComponent(r.executionArn)}`;
      } catch (e) {
        alert(e.message);
      }
    };
    sections.push(
      h(
        'section',
        { 'data-machine': m.name },
        h('h2', {}, m.name, ' ', h('small', {}, m.type)),
        h(
          'table',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'execution'),
            h('th', {}, 'status'),
            h('th', {}, 'started'),
            h('th', {}, 'duration'),
          ),
          executions.map((e) =>
            h(
              'tr',
              {},
              h('td', {}, link(`#/execution/${encodeURIComponent(e.executionArn)}`, e.name)),
              h('td', {}, status(e.status)),
              h('td', {}, when(e.startDate)),
              h('td', {}, duration(e.startDate, e.stopDate)),
            ),
          ),
        ),
        h(
          'details',
          {},
          h('summary', {}, 'Start an execution'),
          input,
          h('button', { onclick: start }, 'Start execution'),
        ),
      ),
    );
  }
  show(
    h('h1', {}, 'State machines'),
    running ? h('p', {}, 'Executions are running: reload to follow them, or open one.') : '',
    sections.length ? sections : h('p', {}, 'No state machines yet.'),
  );
  // The list is not redrawn by itself (it would clear an input being typed).
  return false;
}

// ---- one execution ----

async function allEvents(executionArn) {
  const events = [];
  let nextToken;
  do {
    const page = await api('GetExecutionHistory', { executionArn, maxResults: 1000, nextToken });
    events.push(...page.events);
    nextToken = page.nextToken;
  } while (nextToken && events.length < 5000);
  return events;
}

/** What happened to each top-level state, from the history. */
function stateOutcomes(events, running) {
  const out = {};
  let depth = 0;
  let failed = false;
  for (const e of events) {
    if (/^(Map|Parallel)StateStarted$/.test(e.type)) depth++;
    else if (/^(Map|Parallel)State(Succeeded|Failed|Aborted)$/.test(e.type)) {
      depth = Math.max(0, depth - 1);
      if (depth === 0 && /Failed$/.test(e.type)) failed = true;
    } else if (depth === 0 && e.type.endsWith('StateEntered')) {
      failed = false;
      out[e.stateEnteredEventDetails.name] = running ? 'running' : 'failed';
    } else if (depth === 0 && e.type.endsWith('StateExited')) {
      out[e.stateExitedEventDetails.name] = failed ? 'caught' : 'succeeded';
    } else if (depth === 0 && /^Task(Failed|TimedOut)$/.test(e.type)) failed = true;
  }
  return out;
}

function transitions(name, st) {
  const out = [];
  if (st.Next) out.push(st.Next);
  if (st.Default) out.push(st.Default);
  for (const c of st.Choices ?? []) if (c.Next) out.push(c.Next);
  for (const c of st.Catch ?? []) out.push(c.Next);
  return [...new Set(out)].map((to) => [name, to]);
}

function graph(definition, outcomes) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: 30, ranksep: 40, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const [name, st] of Object.entries(definition.States)) {
    const width = Math.max(120, 8 * Math.max(name.length, st.Type.length + 2));
    g.setNode(name, { width, height: 44, st });
  }
  for (const [name, st] of Object.entries(definition.States))
    for (const [a, b] of transitions(name, st)) if (definition.States[b]) g.setEdge(a, b);
  dagre.layout(g);
  const { width, height } = g.graph();
  const root = svg('svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': 'state machine graph',
  });
  for (const e of g.edges()) {
    const pts = g.edge(e).points;
    root.append(svg('path', { d: `M${pts.map((p) => `${p.x},${p.y}`).join(' L')}` }));
  }
  for (const name of g.nodes()) {
    const n = g.node(name);
    const outcome = outcomes[name] ?? 'idle';
    const node = svg('g', { class: `node node-${outcome}`, 'data-state': name, 'data-outcome': outcome });
    node.append(
      svg('rect', { x: n.x - n.width / 2, y: n.y - n.height / 2, width: n.width, height: n.height }),
    );
    const label = svg('text', { x: n.x, y: n.y - 3, 'text-anchor': 'middle' });
    label.textContent = name;
    const type = svg('text', { x: n.x, y: n.y + 13, 'text-anchor': 'middle', opacity: 0.7 });
    type.textContent = n.st.Type;
    node.append(label, type);
    root.append(node);
  }
  return h('div', { class: 'graph' }, root);
}

function eventDetails(e) {
  const key = Object.keys(e).find((k) => k.endsWith('EventDetails'));
  const d = key ? e[key] : undefined;
  if (!d) return '';
  const parts = [];
  if (d.name) parts.push(h('strong', {}, d.name));
  for (const f of ['input', 'output', 'parameters'])
    if (d[f] !== undefined) parts.push(h('details', {}, h('summary', {}, f), h('pre', {}, pretty(d[f]))));
  if (d.error !== undefined) parts.push(h('div', { class: 'error' }, d.error));
  if (d.cause !== undefined) parts.push(h('pre', {}, d.cause));
  if (d.mapRunArn) parts.push(link(`#/maprun/${encodeURIComponent(d.mapRunArn)}`, 'Map Run'));
  return parts;
}

async function execution(arn) {
  const e = await api('DescribeExecution', { executionArn: arn });
  if (e.mapRunArn) return child(e);
  const [machine, events, runs] = await Promise.all([
    api('DescribeStateMachineForExecution', { executionArn: arn }),
    allEvents(arn),
    api('ListMapRuns', { executionArn: arn }),
  ]);
  const running = e.status === 'RUNNING';
  const buttons = [];
  if (running)
    buttons.push(
      h(
        'button',
        {
          onclick: () =>
            act('StopExecution', { executionArn: arn, error: 'Console', cause: 'Stopped from the console' }),
        },
        'Stop',
      ),
    );
  if (e.redriveStatus === 'REDRIVABLE')
    buttons.push(h('button', { onclick: () => act('RedriveExecution', { executionArn: arn }) }, 'Redrive'));
  show(
    h('p', {}, link('#/', '← state machines')),
    h('h1', {}, e.name, ' ', h('span', { id: 'execution-status' }, status(e.status))),
    h(
      'p',
      {},
      `started ${when(e.startDate)} · ${duration(e.startDate, e.stopDate)} · redriven ${e.redriveCount ?? 0}×`,
    ),
    h('div', {}, buttons),
    e.error ? h('div', {}, h('p', { class: 'error' }, e.error), h('pre', {}, e.cause ?? '')) : '',
    e.output !== undefined
      ? h('details', {}, h('summary', {}, 'output'), h('pre', {}, pretty(e.output)))
      : '',
    h('h2', {}, 'Graph'),
    graph(JSON.parse(machine.definition), stateOutcomes(events, running)),
    runs.mapRuns.length
      ? [
          h('h2', {}, 'Map Runs'),
          h(
            'ul',
            {},
            runs.mapRuns.map((r) =>
              h(
                'li',
                {},
                link(
                  `#/maprun/${encodeURIComponent(r.mapRunArn)}`,
                  r.mapRunArn.split(':').slice(-2).join(':'),
                ),
              ),
            ),
          ),
        ]
      : '',
    h('h2', {}, `History (${events.length} events)`),
    h(
      'table',
      { id: 'history' },
      h('tr', {}, h('th', {}, 'id'), h('th', {}, 'type'), h('th', {}, 'time'), h('th', {}, 'details')),
      events.map((ev) =>
        h(
          'tr',
          {},
          h('td', {}, ev.id),
          h('td', {}, ev.type),
          h('td', {}, when(ev.timestamp)),
          h('td', {}, eventDetails(ev)),
        ),
      ),
    ),
  );
  return running;
}

async function act(action, body) {
  try {
    await api(action, body);
    await route();
  } catch (e) {
    alert(e.message);
  }
}

function child(e) {
  show(
    h('p', {}, link(`#/maprun/${encodeURIComponent(e.mapRunArn)}`, '← Map Run')),
    h('h1', {}, e.name, ' ', status(e.status)),
    h('p', {}, `Map Run child · started ${when(e.startDate)} · ${duration(e.startDate, e.stopDate)}`),
    e.error ? [h('p', { class: 'error' }, e.error), h('pre', {}, e.cause ?? '')] : '',
    h('h2', {}, 'input'),
    h('pre', {}, pretty(e.input)),
    e.output !== undefined ? [h('h2', {}, 'output'), h('pre', {}, pretty(e.output))] : '',
  );
  return false;
}

// ---- a Map Run ----

async function mapRun(arn) {
  const r = await api('DescribeMapRun', { mapRunArn: arn });
  const children = [];
  let nextToken;
  do {
    const page = await api('ListExecutions', { mapRunArn: arn, maxResults: 1000, nextToken });
    children.push(...page.executions);
    nextToken = page.nextToken;
  } while (nextToken && children.length < 5000);
  // Failed children first, each with its error and cause.
  children.sort((a, b) => (a.status === 'FAILED' ? 0 : 1) - (b.status === 'FAILED' ? 0 : 1));
  const failed = await Promise.all(
    children
      .filter((c) => c.status === 'FAILED')
      .slice(0, 100)
      .map((c) => api('DescribeExecution', { executionArn: c.executionArn })),
  );
  const byArn = Object.fromEntries(failed.map((f) => [f.executionArn, f]));
  const c = r.itemCounts;
  const running = r.status === 'RUNNING';
  show(
    h('p', {}, link(`#/execution/${encodeURIComponent(r.executionArn)}`, '← execution')),
    h('h1', {}, 'Map Run ', h('span', { id: 'maprun-status' }, status(r.status))),
    h(
      'p',
      { class: 'counts' },
      h('span', {}, `succeeded ${c.succeeded}`),
      h('span', {}, `failed ${c.failed}`),
      h('span', {}, `running ${c.running}`),
      h('span', {}, `pending ${c.pending}`),
      h('span', {}, `total ${c.total}`),
      h('span', {}, `redriven ${r.redriveCount}×`),
    ),
    h(
      'p',
      {},
      `started ${when(r.startDate)} · ${duration(r.startDate, r.stopDate)} · max concurrency ${r.maxConcurrency} · tolerated ${r.toleratedFailurePercentage}% / ${r.toleratedFailureCount}`,
    ),
    r.status === 'FAILED' || r.status === 'ABORTED'
      ? h('button', { onclick: () => redriveParent(r.executionArn) }, 'Redrive execution')
      : '',
    h(
      'table',
      { id: 'children' },
      h('tr', {}, h('th', {}, 'child'), h('th', {}, 'status'), h('th', {}, 'error'), h('th', {}, 'cause')),
      children.map((ch) =>
        h(
          'tr',
          { 'data-status': ch.status },
          h('td', {}, link(`#/execution/${encodeURIComponent(ch.executionArn)}`, ch.name)),
          h('td', {}, status(ch.status)),
          h('td', { class: 'error' }, byArn[ch.executionArn]?.error ?? ''),
          h('td', {}, byArn[ch.executionArn]?.cause ?? ''),
        ),
      ),
    ),
  );
  return running;
}

async function redriveParent(executionArn) {
  try {
    await api('RedriveExecution', { executionArn });
    location.hash = `#/execution/${encodeURIComponent(executionArn)}`;
  } catch (e) {
    alert(e.message);
  }
}

// ---- routing and live updates ----

async function route() {
  clearTimeout(timer);
  const [, page, arg] = location.hash.match(/^#\/([a-z]+)\/(.+)$/) ?? [];
  let again = false;
  try {
    if (page === 'execution') again = await execution(decodeURIComponent(arg));
    else if (page === 'maprun') again = await mapRun(decodeURIComponent(arg));
    else again = await home();
  } catch (e) {
    failure(e);
  }
  // While something runs, the page follows it.
  live.textContent = again ? 'live' : '';
  if (again) timer = setTimeout(route, 500);
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', route);
