// The operations dashboard: one Server-Sent Events stream of snapshots (admin token in the
// Authorization header, so fetch() reads the stream rather than EventSource), rates computed here.
'use strict';

const $ = (id) => document.getElementById(id);
const WINDOW = 120; // seconds of history in the charts
const fmt = (n) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString());
const rate = (n) => (n === null || Number.isNaN(n) ? '–' : n.toFixed(1));

let stream = null;
let previous = null;
const history = { t: [], accepted: [], soldOut: [], limited: [], busy: [], queued: [], written: [] };
let grabChart, queueChart;

function showProblem(message) {
  $('problem').hidden = !message;
  $('problem').textContent = message || '';
}

async function api(method, path, body) {
  try {
    return await callApi(method, path, { token: $('admin-token').value, body });
  } catch (error) {
    throw new Error(describeProblem(error));
  }
}

function charts() {
  const width = Math.max(300, $('grab-chart').clientWidth);
  const axes = [{}, { size: 50 }];
  grabChart = new uPlot({
    width, height: 220, axes,
    series: [{}, { label: '202', stroke: '#1b7f3b' }, { label: 'sold out', stroke: '#667' },
      { label: '429', stroke: '#b36b00' }, { label: '503', stroke: '#c8102e' }],
  }, [[], [], [], [], []], $('grab-chart'));
  queueChart = new uPlot({
    width, height: 220, axes,
    series: [{}, { label: 'grabs queued', stroke: '#1f4fa8' }, { label: 'orders written/s', stroke: '#1b7f3b' }],
  }, [[], [], []], $('queue-chart'));
}

/** Mean over the last interval (from two cumulative timer readings) and the timer's recent max. */
function meanMs(now, before) {
  if (!before || now.count === before.count) return '–';
  return ((1000 * (now.totalSeconds - before.totalSeconds)) / (now.count - before.count)).toFixed(0) + ' ms';
}
function meanAndMax(now, before) {
  const mean = meanMs(now, before);
  return mean === '–' ? '–' : mean + ' / ' + (1000 * now.maxSeconds).toFixed(0) + ' ms';
}

const sum = (map) => Object.values(map || {}).reduce((a, b) => a + b, 0);
const perSecond = (now, before, pick, dt) => (before ? Math.max(0, (pick(now) - pick(before)) / dt) : NaN);

function show(snapshot) {
  const run = snapshot.run;
  $('run-id').textContent = run ? run.runId : (snapshot.runError || '');
  const byStatus = (run && run.ordersByStatus) || {};
  $('seats').textContent = fmt(run && run.seats);
  $('sold').textContent = fmt(run && run.sold);
  $('remaining').textContent = fmt(run && run.remaining);
  $('pending').textContent = fmt(run && run.pending);
  $('paid').textContent = fmt(byStatus.PAID);
  $('created').textContent = fmt(byStatus.CREATED);
  $('failed').textContent = fmt((byStatus.FAILED || 0) + (byStatus.CANCELLED || 0));

  const dt = previous ? (Date.parse(snapshot.at) - Date.parse(previous.at)) / 1000 : 0;
  const r = (pick) => (dt > 0 ? perSecond(snapshot, previous, pick, dt) : NaN);
  const accepted = r((s) => s.grabs.accepted || 0);
  const soldOut = r((s) => s.grabs.sold_out || 0);
  const limited = r((s) => s.httpByStatus['429'] || 0);
  const busy = r((s) => s.httpByStatus['503'] || 0);
  const written = r((s) => sum(s.ordersWritten));
  $('accepted-rate').textContent = rate(accepted);
  $('rate-429').textContent = rate(limited);
  $('rate-503').textContent = rate(busy);
  $('written-rate').textContent = rate(written);
  $('grabs-queued').textContent = fmt(snapshot.grabsQueued);
  $('grabs-dead').textContent = fmt(snapshot.grabsDead);
  $('outbox-ready').textContent = fmt((snapshot.outbox || {}).ready);
  $('in-flight').textContent = fmt(snapshot.messagesInFlight);
  $('messages-dead').textContent = fmt(snapshot.messagesDead);
  $('inbox-waiting').textContent = fmt(snapshot.paymentInboxWaiting);
  $('orders-parked').textContent = fmt(snapshot.ordersParked);
  $('write-lag').textContent = meanAndMax(snapshot.writeLag, previous && previous.writeLag);
  const lockWaits = r((s) => s.lockWaits.count);
  $('lock-waits').textContent = Number.isNaN(lockWaits) ? '–'
    : rate(lockWaits) + ' (' + meanMs(snapshot.lockWaits, previous && previous.lockWaits) + ')';
  $('cache-hits').textContent = rate(r((s) => s.cache.hits));
  $('cache-loads').textContent = rate(r((s) => s.cache.loads));
  $('cache-stale').textContent = rate(r((s) => s.cache.stale));
  $('cache-degraded').textContent = rate(r((s) => s.cache.degraded));

  if (dt > 0) {
    const h = history;
    h.t.push(Date.parse(snapshot.at) / 1000);
    h.accepted.push(accepted); h.soldOut.push(soldOut); h.limited.push(limited); h.busy.push(busy);
    h.queued.push(snapshot.grabsQueued); h.written.push(written);
    for (const k of Object.keys(h)) if (h[k].length > WINDOW) h[k].shift();
    grabChart.setData([h.t, h.accepted, h.soldOut, h.limited, h.busy]);
    queueChart.setData([h.t, h.queued, h.written]);
  }
  const crowd = snapshot.crowd;
  if (crowd) {
    const answers = Object.entries(crowd.answers).map(([k, v]) => k + ' × ' + v).join(', ');
    $('crowd-status').textContent = (crowd.running ? '进行中 running: ' : '上一次 last crowd: ') +
      crowd.users + ' users on ' + crowd.runId + (answers ? ' — ' + answers : '');
  }
  $('status').textContent = '已连接 Live · ' + new Date(snapshot.at).toLocaleTimeString();
  $('status').dataset.updates = String(Number($('status').dataset.updates || 0) + 1);
  previous = snapshot;
}

async function connect() {
  if (stream) stream.abort();
  stream = new AbortController();
  previous = null;
  for (const k of Object.keys(history)) history[k] = [];
  const run = $('run').value;
  try {
    const response = await fetch('/api/v1/admin/ops/stream' + (run ? '?runId=' + encodeURIComponent(run) : ''), {
      headers: { Authorization: 'Bearer ' + $('admin-token').value, Accept: 'text/event-stream' },
      signal: stream.signal,
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error((problem.code ? problem.code + ': ' : '') + (problem.detail || response.status));
    }
    showProblem(null);
    sessionStorage.setItem('railrush.adminToken', $('admin-token').value);
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = event.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.slice(5)).join('\n');
        if (data) show(JSON.parse(data));
      }
    }
    setTimeout(connect, 1000); // the server ends a stream after ten minutes
  } catch (error) {
    if (error.name === 'AbortError') return;
    showProblem(error.message);
    $('status').textContent = '未连接 Not connected';
  }
}

async function loadRuns() {
  const response = await fetch('/api/v1/runs?limit=500');
  const result = await response.json();
  const select = $('run');
  select.replaceChildren(...result.runs.map((r) => {
    const option = document.createElement('option');
    option.value = r.runId;
    option.textContent = r.runId + ' ' + r.origin + '→' + r.destination;
    return option;
  }));
}

$('connect').addEventListener('submit', (event) => { event.preventDefault(); connect(); });
$('run').addEventListener('change', () => { if (stream) connect(); });
$('crowd').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await api('POST', '/api/v1/admin/ops/flash-crowd', {
      runId: $('run').value, users: Number($('crowd-users').value), seconds: Number($('crowd-seconds').value) });
    showProblem(null);
  } catch (error) { showProblem(error.message); }
});
$('replay').addEventListener('click', async () => {
  try {
    const messages = await api('POST', '/api/v1/admin/messages/dead/replay', { all: true });
    const grabs = await api('POST', '/api/v1/admin/grabs/dead/replay');
    $('crowd-status').textContent = 'replayed: ' + JSON.stringify(messages) + ' ' + JSON.stringify(grabs);
    showProblem(null);
  } catch (error) { showProblem(error.message); }
});

charts();
$('admin-token').value = sessionStorage.getItem('railrush.adminToken') || '';
loadRuns().then(() => { if ($('admin-token').value) connect(); }).catch((e) => showProblem(e.message));
