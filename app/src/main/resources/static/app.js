// The buyer's page: plain JavaScript against the public HTTP API (docs/api.md), no build step.
'use strict';

const $ = (id) => document.getElementById(id);
const state = {
  token: localStorage.getItem('railrush.token'),
  userId: localStorage.getItem('railrush.userId'),
  order: null,
  reloadRuns: null, // repeats the listing on screen, so remaining seats follow a purchase
};

function api(method, path, body, headers = {}) {
  return callApi(method, path, { token: state.token, body, headers });
}

function showProblem(error) {
  const box = $('problem');
  if (!error) { box.hidden = true; box.textContent = ''; return; }
  box.textContent = describeProblem(error);
  box.hidden = false;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (className) node.className = className;
  return node;
}

const yuan = (cents) => '¥' + (cents / 100).toFixed(2);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const today = () => new Date().toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

// ---- login ----------------------------------------------------------------------------------

function renderLogin() {
  const signedIn = Boolean(state.token);
  $('who').hidden = !signedIn;
  $('who').textContent = signedIn ? '你好, ' + state.userId : '';
  $('user-id').hidden = signedIn;
  $('login-button').hidden = signedIn;
  $('logout-button').hidden = !signedIn;
  $('mine').hidden = !signedIn;
  if (signedIn) refreshMine();
}

$('login').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const session = await api('POST', '/api/v1/sessions', { userId: $('user-id').value.trim() });
    state.token = session.token;
    state.userId = session.userId;
    localStorage.setItem('railrush.token', session.token);
    localStorage.setItem('railrush.userId', session.userId);
    showProblem(null);
    renderLogin();
  } catch (error) { showProblem(error); }
});

$('logout-button').addEventListener('click', () => {
  state.token = state.userId = null;
  localStorage.removeItem('railrush.token');
  localStorage.removeItem('railrush.userId');
  $('order-panel').hidden = true;
  renderLogin();
});

// ---- runs -----------------------------------------------------------------------------------

function renderRuns(runs, degraded, caption) {
  $('runs-caption').textContent = caption + (degraded ? ' · 数据可能稍旧 (degraded)' : '');
  const body = $('runs').tBodies[0];
  body.replaceChildren();
  for (const run of runs) {
    const row = document.createElement('tr');
    row.dataset.runId = run.runId;
    row.append(el('td', run.trainNo));
    row.append(el('td', run.origin + ' → ' + run.destination));
    row.append(el('td', run.departureDate + ' ' + run.departureTime));
    row.append(el('td', yuan(run.priceCents), 'num'));
    const remaining = el('td', run.remaining + ' / ' + run.seats, 'num remaining');
    if (degraded) remaining.append(' ', el('span', '≈', 'degraded'));
    row.append(remaining);
    const cell = el('td');
    const grab = el('button', run.remaining > 0 ? '抢票 Grab' : '已售完 Sold out', 'grab');
    grab.type = 'button';
    grab.disabled = run.remaining <= 0;
    grab.addEventListener('click', () => grabSeat(run, grab));
    cell.append(grab);
    row.append(cell);
    body.append(row);
  }
  if (runs.length === 0) {
    const row = document.createElement('tr');
    const cell = el('td', '没有车次 No runs found');
    cell.colSpan = 6;
    row.append(cell);
    body.append(row);
  }
}

async function loadUpcoming() {
  state.reloadRuns = loadUpcoming;
  try {
    const result = await api('GET', '/api/v1/runs?limit=500');
    const from = today();
    const until = new Date(Date.now() + 7 * 864e5).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    const upcoming = result.runs.filter((r) => r.departureDate >= from && r.departureDate <= until);
    const stations = new Set(result.runs.flatMap((r) => [r.origin, r.destination]));
    $('stations').replaceChildren(...[...stations].sort().map((s) => { const o = el('option'); o.value = s; return o; }));
    renderRuns(upcoming, result.degraded, '近期车次 On sale in the next days: ' + upcoming.length);
  } catch (error) { showProblem(error); }
}

$('search').addEventListener('submit', (event) => {
  event.preventDefault();
  showProblem(null);
  search();
});

async function search() {
  state.reloadRuns = search;
  const query = new URLSearchParams();
  for (const name of ['origin', 'destination', 'date']) {
    const value = $(name).value.trim();
    if (value) query.set(name, value);
  }
  try {
    const result = await api('GET', '/api/v1/runs?' + query);
    renderRuns(result.runs, result.degraded, '查询结果 Found: ' + result.runs.length);
  } catch (error) { showProblem(error); }
}
$('upcoming').addEventListener('click', () => { showProblem(null); loadUpcoming(); });

// ---- grab, order, payment ---------------------------------------------------------------------

async function grabSeat(run, button) {
  if (!state.token) { showProblem(new Error('请先登录 Log in first')); $('user-id').focus(); return; }
  button.disabled = true;
  try {
    const accepted = await api('POST', '/api/v1/runs/' + encodeURIComponent(run.runId) + '/grabs',
      undefined, { 'Idempotency-Key': crypto.randomUUID() });
    showProblem(null);
    await followOrder(accepted.orderNo, (o) => o.status !== 'PENDING');
  } catch (error) {
    showProblem(error);
    if (error.code === 'ALREADY_HOLDING' && error.problem.orderNo) await followOrder(error.problem.orderNo, () => true);
  } finally {
    button.disabled = false;
  }
}

/** Polls the order until {@code done(order)}, showing each state on the way. */
async function followOrder(orderNo, done, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const order = await api('GET', '/api/v1/orders/' + encodeURIComponent(orderNo));
    renderOrder(order);
    if (done(order) || Date.now() > until) return order;
    await sleep(400);
  }
}

function renderOrder(order) {
  const changed = !state.order || state.order.orderNo !== order.orderNo || state.order.status !== order.status;
  state.order = order;
  $('order-panel').hidden = false;
  const list = el('dl');
  const add = (name, value) => { list.append(el('dt', name)); const dd = el('dd'); dd.append(value); list.append(dd); };
  add('订单号 Order', order.orderNo);
  add('车次 Run', order.runId);
  add('状态 Status', el('span', order.status, 'badge ' + order.status));
  add('金额 Amount', yuan(order.amountCents));
  if (order.paidAt) add('支付时间 Paid at', new Date(order.paidAt).toLocaleString());
  if (order.failureReason) add('原因 Reason', order.failureReason);
  $('order').replaceChildren(list);
  $('order').dataset.status = order.status;
  $('pay-button').hidden = order.status !== 'CREATED';
  $('cancel-button').hidden = order.status !== 'CREATED';
  if (changed && order.status !== 'PENDING') {
    refreshMine();
    if (state.reloadRuns) setTimeout(state.reloadRuns, 5000); // the listing is cached for 5 s
  }
}

$('pay-button').addEventListener('click', async () => {
  const button = $('pay-button');
  button.disabled = true;
  try {
    const orderNo = state.order.orderNo;
    const payment = await api('POST', '/api/v1/orders/' + encodeURIComponent(orderNo) + '/payments', { provider: 'sim' });
    await api('POST', '/api/v1/payments/sim/' + encodeURIComponent(payment.outTradeNo) + '/pay');
    showProblem(null);
    await followOrder(orderNo, (o) => o.status !== 'CREATED');
    await sleep(1000); // the coupon and the draw follow the payment as messages
    refreshMine();
  } catch (error) { showProblem(error); } finally { button.disabled = false; }
});

$('cancel-button').addEventListener('click', async () => {
  try {
    renderOrder(await api('POST', '/api/v1/orders/' + encodeURIComponent(state.order.orderNo) + '/cancel'));
    showProblem(null);
  } catch (error) { showProblem(error); }
});

// ---- mine -----------------------------------------------------------------------------------

async function refreshMine() {
  if (!state.token) return;
  try {
    const [orders, coupons, lottery] = await Promise.all([
      api('GET', '/api/v1/orders'), api('GET', '/api/v1/me/coupons'), api('GET', '/api/v1/me/lottery')]);
    $('my-orders').replaceChildren(...orders.orders.map((o) => {
      const item = el('li');
      const link = el('a', o.orderNo);
      link.href = '#';
      link.addEventListener('click', (e) => { e.preventDefault(); followOrder(o.orderNo, () => true).catch(showProblem); });
      item.append(link, ' ', el('span', o.status, 'badge ' + o.status), ' ' + o.runId);
      return item;
    }));
    $('my-coupons').replaceChildren(...coupons.coupons.map((c) =>
      el('li', c.couponId + ' −' + yuan(c.amountOffCents) + ' ' + c.status)));
    $('my-draws').textContent = String(lottery.draws);
  } catch (error) {
    if (error.status === 401) { $('logout-button').click(); }
    showProblem(error);
  }
}

renderLogin();
loadUpcoming();
