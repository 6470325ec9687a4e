/* xlite's web console: plain JavaScript against xlited's API (xlited(8)).
 * Reads go with the HttpOnly cookie /login set; changes also carry the
 * CSRF header whose value /login or /api/v1/session gives. Live data comes
 * from /api/v1/events (state changes, and `sample` events every
 * sample-interval); charts are uPlot (vendor/uplot). Text from the host
 * or its guests is put in the page as text only (textContent). */
'use strict';

const $ = (sel) => document.querySelector(sel);
const state = {
	csrf: sessionStorage.getItem('xlited_csrf'),
	csrfHeader: 'X-Xlited-CSRF',
	events: null,
	domains: new Map(),	// name -> latest object of /api/v1/domains
	samples: new Map(),	// name -> latest sample
	hostHist: [],		// host samples
	domHist: [],		// the open domain's samples
	domName: null,
	peer: null,
	charts: {},
	timer: null,
};
const HIST_MAX = 3601;

/* The host the page shows: this one, or a peer through this daemon's
 * /api/v1/peers/NAME/ (xlite.conf's [peers]); a peer's data is polled,
 * this host's comes live on the event stream. */
function P() { return state.peer ? '/api/v1/peers/' + encodeURIComponent(state.peer) : '/api/v1'; }
function H() { return state.peer ? '#/peer/' + encodeURIComponent(state.peer) : '#'; }

/* ---- helpers ---------------------------------------------------------- */

function el(tag, attrs, ...kids) {
	const e = document.createElement(tag);
	for (const [k, v] of Object.entries(attrs || {})) {
		if (k === 'class') e.className = v;
		else if (k.startsWith('data-')) e.setAttribute(k, v);
		else e[k] = v;
	}
	for (const k of kids)
		e.append(k instanceof Node ? k : document.createTextNode(k == null ? '' : String(k)));
	return e;
}

function mib(kib) { return kib == null ? '' : Math.round(kib / 1024); }

class ApiError extends Error {
	constructor(status, body) {
		super(body && body.error ? body.error : 'HTTP ' + status);
		this.status = status;
		this.line = body && body.line;
	}
}

async function api(method, path, body, type) {
	const headers = {};
	if (method !== 'GET') {
		headers[state.csrfHeader] = state.csrf || '';
		if (body !== undefined)
			headers['Content-Type'] = type || 'application/json';
	}
	const r = await fetch(path, {
		method, headers, credentials: 'same-origin', cache: 'no-store',
		body: body === undefined ? undefined
			: (typeof body === 'string' ? body : JSON.stringify(body)),
	});
	const text = await r.text();
	let doc = null;
	try { doc = text ? JSON.parse(text) : null; } catch (e) { doc = text; }
	if (r.status === 401 && path !== '/login') {
		showLogin(path === '/api/v1/session' ? '' : 'Your session ended: log in again.');
		throw new ApiError(401, doc);
	}
	if (!r.ok)
		throw new ApiError(r.status, doc);
	return doc;
}

/* ---- login ------------------------------------------------------------ */

function setSession(doc) {
	state.csrf = doc.csrf;
	state.csrfHeader = doc.csrf_header || state.csrfHeader;
	sessionStorage.setItem('xlited_csrf', doc.csrf);
}

function showLogin(msg) {
	stopStream();
	for (const s of document.querySelectorAll('main > section')) s.hidden = true;
	$('#nav').hidden = true;
	$('#event-panel').hidden = true;
	$('#login-view').hidden = false;
	$('#login-error').textContent = msg || '';
	$('#token').focus();
}

$('#login-form').addEventListener('submit', async (ev) => {
	ev.preventDefault();
	$('#login-error').textContent = '';
	try {
		const r = await fetch('/login', {
			method: 'POST', credentials: 'same-origin',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ token: $('#token').value.trim() }),
		});
		const doc = await r.json();
		if (!r.ok) throw new ApiError(r.status, doc);
		setSession(doc);
		$('#token').value = '';
		start();
	} catch (e) {
		$('#login-error').textContent = 'Login refused: ' + e.message;
	}
});

$('#logout').addEventListener('click', async () => {
	await fetch('/logout', { method: 'POST', credentials: 'same-origin' });
	sessionStorage.removeItem('xlited_csrf');
	state.csrf = null;
	showLogin('Logged out.');
});

/* ---- the event stream --------------------------------------------------- */

function stopStream() {
	if (state.events) state.events.close();
	state.events = null;
}

function feed(text, when, older) {
	const list = $('#event-feed');
	const li = el('li', {}, (when ? new Date(when) : new Date()).toLocaleTimeString() + ' ' + text);
	if (older) list.append(li); else list.prepend(li);
	while (list.children.length > 100) list.lastChild.remove();
}

function eventText(ev) {
	return ev.type + ' ' + (ev.name || '') + (ev.reason ? ' (' + ev.reason + ')' : '') +
	       (ev.state ? ' ' + ev.state : '');
}

/* What happened before this page was opened (the daemon keeps the last). */
async function loadEventHistory() {
	let hist;
	try { hist = await api('GET', '/api/v1/events/history'); } catch (e) { return; }
	// below what came live meanwhile, newest first
	for (const h of hist.reverse()) feed(eventText(h.event), h.time, true);
}

function startStream() {
	stopStream();
	loadEventHistory();
	const es = new EventSource('/api/v1/events');
	state.events = es;
	es.onopen = () => { $('#stream').textContent = 'live'; };
	es.onerror = () => { $('#stream').textContent = 'reconnecting...'; };
	es.onmessage = (m) => {
		let ev;
		try { ev = JSON.parse(m.data); } catch (e) { return; }
		feed(eventText(ev));
		refreshDomains();
		if (state.domName && ev.name === state.domName) refreshDomain();
	};
	es.addEventListener('sample', (m) => {
		let s;
		try { s = JSON.parse(m.data); } catch (e) { return; }
		onSample(s);
	});
}

function onSample(s) {
	if (state.peer) return;	// a peer's come by polling (pollPeer)
	for (const d of s.domains || []) state.samples.set(d.name, d);
	if (s.host) {
		state.hostHist.push(s.host);
		if (state.hostHist.length > HIST_MAX) state.hostHist.shift();
		if (!$('#host-view').hidden) drawHostCpu();
	}
	if (!$('#host-view').hidden) renderDomains();
	const mine = state.domName && (s.domains || []).find((d) => d.name === state.domName);
	if (mine && !$('#domain-view').hidden) {
		state.domHist.push(mine);
		if (state.domHist.length > HIST_MAX) state.domHist.shift();
		drawDomainCharts();
		renderIo(mine);
	}
}

/* ---- charts ------------------------------------------------------------- */

function chart(key, target, title, series, data) {
	const width = Math.max(300, target.clientWidth || 600);
	if (state.charts[key] && state.charts[key].root.parentNode === target) {
		state.charts[key].setData(data);
	} else {
		if (state.charts[key]) state.charts[key].destroy();
		target.textContent = '';
		state.charts[key] = new uPlot({
			title, width, height: 200,
			series: [{}].concat(series),
			axes: [{}, { size: 60 }],
		}, data, target);
	}
	// how many points the chart holds, for people and tests alike
	target.setAttribute('data-points', String(data[0].length));
}

function drawHostCpu() {
	const h = state.hostHist.filter((s) => s.cpu_pct != null);
	chart('host-cpu', $('#host-cpu-chart'), 'Host CPU % (all domains)',
	      [{ label: 'CPU %', stroke: '#2f6fb3', width: 2 }],
	      [h.map((s) => s.t / 1000), h.map((s) => s.cpu_pct)]);
}

function drawDomainCharts() {
	const h = state.domHist;
	const c = h.filter((s) => s.cpu_pct != null);
	chart('dom-cpu', $('#dom-cpu-chart'), 'CPU % (100 = one CPU)',
	      [{ label: 'CPU %', stroke: '#2f6fb3', width: 2 }],
	      [c.map((s) => s.t / 1000), c.map((s) => s.cpu_pct)]);
	chart('dom-mem', $('#dom-mem-chart'), 'Memory (MiB)', [
		{ label: 'actual', stroke: '#2f6fb3', width: 2 },
		{ label: 'target', stroke: '#26734d' },
		{ label: 'min', stroke: '#999', dash: [4, 4] },
		{ label: 'max', stroke: '#b3261e', dash: [4, 4] },
		{ label: 'demand', stroke: '#9a6700' },
	], [h.map((s) => s.t / 1000), h.map((s) => mib(s.actual_kib)), h.map((s) => mib(s.target_kib)),
	    h.map((s) => mib(s.min_kib)), h.map((s) => mib(s.max_kib)),
	    h.map((s) => s.demand_kib == null ? null : mib(s.demand_kib))]);
}

/* ---- host view ------------------------------------------------------------ */

/* SEL's facts: a label and a value for each of ROWS. */
function facts(sel, rows) {
	const parent = $(sel);
	parent.textContent = '';
	for (const [label, value] of rows)
		parent.append(el('div', {}, el('span', {}, label), value == null ? '-' : String(value)));
}

function memBar(h) {
	const bar = $('#mem-bar');
	bar.textContent = '';
	const cap = h.guest_capacity || 0;
	const scale = Math.max(cap, h.guests_max || 0, 1);
	const pct = (v) => Math.min(100, 100 * (v || 0) / scale) + '%';
	bar.append(el('div', { class: 'fill actual', style: '' }));
	bar.lastChild.style.width = pct(h.guests_actual);
	bar.append(el('div', { class: 'fill min' }));
	bar.lastChild.style.width = pct(h.guests_min);
	for (const [cls, v] of [['target', h.guests_target], ['max', h.guests_max]]) {
		const m = el('div', { class: 'mark ' + cls, title: cls + ' ' + v + ' MiB' });
		m.style.left = pct(v);
		bar.append(m);
	}
	const cm = el('div', { class: 'mark', title: 'capacity ' + cap + ' MiB' });
	cm.style.left = pct(cap);
	cm.style.background = '#000';
	bar.append(cm);
	const lg = $('#mem-legend');
	lg.textContent = '';
	for (const [color, text] of [['#2f6fb3', 'min'], ['#8fb3de', 'actual'], ['#26734d', 'target'],
				     ['#b3261e', 'max'], ['#000', 'guest capacity']]) {
		const i = el('i');
		i.style.background = color;
		lg.append(el('span', {}, i, text));
	}
	$('#mem-figures').textContent =
		`guests: min ${h.guests_min} / target ${h.guests_target} / actual ${h.guests_actual}` +
		` / max ${h.guests_max} MiB of ${cap} MiB they can have;` +
		` over-allocation ${h.overallocation != null ? h.overallocation : '-'};` +
		` contention ${h.memory_contention || 0} MiB` +
		(h.memory_short ? ` (short: ${h.memory_short})` : '');
}

async function showHost() {
	show('#host-view');
	let h;
	try { h = await api('GET', P() + '/host'); } catch (e) { return; }
	$('#host-name').textContent = h.host || '';
	const contention = (h.memory_contention || 0) > 0;
	const health = $('#host-health');
	health.textContent = contention ? 'memory contention' : 'healthy';
	health.className = 'badge ' + (contention ? 'warn' : 'ok');
	facts('#host-facts', [['Xen', h.xen_version], ['CPUs', h.nr_cpus],
			      ['memory (MiB)', h.total_memory], ['free (MiB)', h.free_memory],
			      ['dom0 (MiB)', h.dom0_memory], ['over-allocation', h.overallocation]]);
	memBar(h);
	try {
		const hist = await api('GET', P() + '/history');
		state.hostHist = hist;
	} catch (e) { /* the stream fills it */ }
	drawHostCpu();
	refreshDmesg();
	await refreshDomains();
	if (!state.peer) renderHosts(); else $('#hosts-section').hidden = true;
}

async function refreshDomains() {
	let list;
	try { list = await api('GET', P() + '/domains'); } catch (e) { return; }
	state.domains = new Map(list.map((d) => [d.name, d]));
	if (!$('#host-view').hidden) renderDomains();
}

function renderDomains() {
	const body = $('#domains tbody');
	body.textContent = '';
	for (const d of state.domains.values()) {
		const s = state.samples.get(d.name);
		const m = d.memory || {};
		const link = el('a', { href: H() + '/domain/' + encodeURIComponent(d.name) }, d.name);
		const tr = el('tr', { 'data-name': d.name },
			el('td', {}, link), el('td', { class: 'num' }, d.domid),
			el('td', { class: 'state' }, d.state), el('td', { class: 'num' }, d.vcpus),
			el('td', { class: 'num' }, s && s.cpu_pct != null ? s.cpu_pct.toFixed(1) : ''),
			el('td', { class: 'num' }, d.mem_mb),
			el('td', { class: 'num' }, (m.target_kib != null ? mib(m.target_kib) : '-') + ' / ' +
			   (m.max_kib != null ? mib(m.max_kib) : d.max_mem_mb)));
		body.append(tr);
	}
}

/* ---- domain view ------------------------------------------------------------ */

async function showDomain(name) {
	show('#domain-view');
	if (state.domName !== name) {
		state.domHist = [];
		for (const k of ['dom-cpu', 'dom-mem']) {
			if (state.charts[k]) state.charts[k].destroy();
			delete state.charts[k];
		}
		$('#dom-cpu-chart').removeAttribute('data-points');
		$('#dom-mem-chart').removeAttribute('data-points');
	}
	state.domName = name;
	$('#dom-name').textContent = name;
	$('#dom-msg').textContent = '';
	$('#console').textContent = '';
	$('#domlog').textContent = '';
	await refreshDomain();
	try {
		state.domHist = await api('GET', P() + '/domains/' + encodeURIComponent(name) + '/history');
	} catch (e) { state.domHist = []; }
	drawDomainCharts();
	if (state.domHist.length) renderIo(state.domHist[state.domHist.length - 1]);
	refreshConsole();
}

async function refreshDomain() {
	const name = state.domName;
	let d;
	try {
		d = await api('GET', P() + '/domains/' + encodeURIComponent(name));
	} catch (e) {
		if (e.status === 404) {
			$('#dom-state').textContent = 'gone';
			$('#dom-state').className = 'badge bad';
		}
		return;
	}
	if (name !== state.domName) return;
	const st = $('#dom-state');
	st.textContent = d.paused ? 'paused' : d.shutdown ? 'shut down' : d.dying ? 'dying'
		: d.running || d.blocked ? 'running' : d.state;
	st.setAttribute('data-state', st.textContent);
	st.className = 'badge ' + (d.paused ? 'warn' : d.shutdown || d.dying ? 'bad' : 'ok');
	const m = d.memory || {};
	facts('#dom-facts', [['id', d.domid], ['uuid', d.uuid], ['state', d.state],
			     ['vCPUs', d.vcpus], ['CPU time (s)', d.cpu_time], ['memory (MiB)', d.mem_mb],
			     ['min / target / max (MiB)',
			      [mib(m.min_kib), mib(m.target_kib),
			       m.max_kib != null ? mib(m.max_kib) : d.max_mem_mb]
				      .map((v) => (v === '' || v == null ? '-' : v)).join(' / ')]]);
}

function renderIo(s) {
	const rows = [
		['disk read (bytes/s)', s.disk_read_bps], ['disk write (bytes/s)', s.disk_write_bps],
		['disk reads/s', s.disk_read_iops], ['disk writes/s', s.disk_write_iops],
		['network sent (bytes/s)', s.net_tx_bps], ['network received (bytes/s)', s.net_rx_bps],
		['memory demand (MiB)', s.demand_kib == null ? null : mib(s.demand_kib)],
	];
	const body = $('#dom-io tbody');
	body.textContent = '';
	for (const [k, v] of rows)
		body.append(el('tr', {}, el('td', {}, k), el('td', { class: 'num' }, v == null ? '-' : v)));
}

/* A text log (console, xlite's log, the hypervisor's) into the <pre> SEL,
 * scrolled to its end; an error reply's message in its place. */
async function loadLog(url, sel, still) {
	try {
		const r = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
		const text = await r.text();
		if (!still()) return;
		let msg = text;
		if (!r.ok) { try { msg = JSON.parse(text).error; } catch (e) { /* as is */ } }
		const pre = $(sel);
		pre.textContent = msg;
		pre.scrollTop = pre.scrollHeight;
	} catch (e) { /* next refresh */ }
}

function refreshConsole() {
	const name = state.domName;
	const base = P() + '/domains/' + encodeURIComponent(name);
	loadLog(base + '/console', '#console', () => name === state.domName);
	loadLog(base + '/log', '#domlog', () => name === state.domName);
}
$('#console-refresh').addEventListener('click', refreshConsole);
$('#domlog-refresh').addEventListener('click', refreshConsole);

function refreshDmesg() {
	const peer = state.peer;
	loadLog(P() + '/host/dmesg', '#dmesg', () => peer === state.peer);
}
$('#dmesg-refresh').addEventListener('click', refreshDmesg);

for (const b of document.querySelectorAll('#domain-view [data-action]')) {
	b.addEventListener('click', async () => {
		const action = b.getAttribute('data-action');
		const name = state.domName;
		if ((action === 'destroy' || action === 'shutdown' || action === 'reboot') &&
		    !confirm(`${action} domain ${name}?`))
			return;
		$('#dom-msg').textContent = action + '...';
		try {
			await api('POST', P() + '/domains/' + encodeURIComponent(name) + '/' + action);
			$('#dom-msg').textContent = action + ': done';
			feed(action + ' ' + name + ' (from this page)');
		} catch (e) {
			$('#dom-msg').textContent = action + ' refused: ' + e.message;
		}
		refreshDomain();
	});
}

$('#mem-form').addEventListener('submit', async (ev) => {
	ev.preventDefault();
	const v = $('#mem-target').value.trim();
	try {
		await api('PUT', P() + '/domains/' + encodeURIComponent(state.domName) + '/memory',
			  { target: /^\d+$/.test(v) ? v + 'm' : v });
		$('#dom-msg').textContent = 'memory target: ' + v;
	} catch (e) { $('#dom-msg').textContent = 'memory refused: ' + e.message; }
	refreshDomain();
});

$('#vcpu-form').addEventListener('submit', async (ev) => {
	ev.preventDefault();
	try {
		await api('PUT', P() + '/domains/' + encodeURIComponent(state.domName) + '/vcpus',
			  { count: parseInt($('#vcpu-count').value, 10) });
		$('#dom-msg').textContent = 'vCPUs: ' + $('#vcpu-count').value;
	} catch (e) { $('#dom-msg').textContent = 'vCPUs refused: ' + e.message; }
	refreshDomain();
});

/* ---- create ------------------------------------------------------------ */

function numberLines(errLine) {
	const n = $('#xml').value.split('\n').length;
	const ol = $('#xml-lines');
	ol.textContent = '';
	for (let i = 1; i <= n; i++)
		ol.append(el('li', i === errLine ? { class: 'err', 'data-line': i } : { 'data-line': i },
			     i));
	$('#xml').rows = Math.max(20, n + 1);
}
$('#xml').addEventListener('input', () => numberLines(0));

$('#xml-file').addEventListener('change', async () => {
	const f = $('#xml-file').files[0];
	if (!f) return;
	$('#xml').value = await f.text();
	numberLines(0);
});

async function submitXml(dry) {
	$('#create-error').textContent = '';
	$('#plan-out').textContent = '';
	numberLines(0);
	try {
		const doc = await api('POST', P() + '/domains' + (dry ? '?dry_run=1' : ''),
				      $('#xml').value, 'application/xml');
		$('#plan-out').textContent = (dry ? 'Plan (nothing made yet):\n'
						  : 'Created:\n') + JSON.stringify(doc, null, 2);
		if (!dry) {
			feed('created ' + doc.name + ' (from this page)');
			location.hash = H() + '/domain/' + encodeURIComponent(doc.name);
		}
	} catch (e) {
		const err = $('#create-error');
		// "body:3: what" from the parser: said as "line 3: what"
		err.textContent = (e.line ? 'line ' + e.line + ': ' : '') +
			e.message.replace(/^body:\d+: /, '');
		if (e.line) {
			err.setAttribute('data-line', String(e.line));
			numberLines(e.line);
		} else {
			err.removeAttribute('data-line');
		}
	}
}
$('#plan').addEventListener('click', () => submitXml(true));
$('#create').addEventListener('click', () => submitXml(false));

/* ---- routing ------------------------------------------------------------ */

function show(sel) {
	for (const s of document.querySelectorAll('main > section')) s.hidden = true;
	$(sel).hidden = false;
	$('#nav').hidden = false;
	$('#event-panel').hidden = false;
}

function route() {
	let h = location.hash || '#/host';
	clearInterval(state.timer);
	state.timer = null;
	let m;
	const peer = (m = h.match(/^#\/peer\/([^/]+)(\/.*)?$/)) ? decodeURIComponent(m[1]) : null;
	if (peer !== state.peer) {
		state.hostHist = [];
		state.samples = new Map();
		state.domName = null;
	}
	state.peer = peer;
	if (peer) h = '#' + (m[2] || '/host');
	$('#peer-label').textContent = peer ? 'peer ' + peer + ' (through this host)' : '';
	if ((m = h.match(/^#\/domain\/(.+)$/))) {
		showDomain(decodeURIComponent(m[1]));
		state.timer = setInterval(() => { refreshConsole(); if (state.peer) pollPeer(); }, 5000);
	} else if (h === '#/create') {
		state.domName = null;
		show('#create-view');
		numberLines(0);
	} else {
		state.domName = null;
		showHost();
		if (state.peer) state.timer = setInterval(pollPeer, 5000);
	}
}

/* A peer's samples since the last one seen, and its domains. */
async function pollPeer() {
	const since = (hist) => (hist.length ? '?since=' + hist[hist.length - 1].t : '');
	try {
		if (!$('#host-view').hidden) {
			const more = await api('GET', P() + '/history' + since(state.hostHist));
			state.hostHist = state.hostHist.concat(more).slice(-HIST_MAX);
			drawHostCpu();
			await refreshDomains();
		} else if (state.domName) {
			const more = await api('GET', P() + '/domains/' + encodeURIComponent(state.domName) +
					       '/history' + since(state.domHist));
			state.domHist = state.domHist.concat(more).slice(-HIST_MAX);
			drawDomainCharts();
			if (more.length) renderIo(more[more.length - 1]);
			refreshDomain();
		}
	} catch (e) { /* said by the next try */ }
}

/* Every host: this one and each peer, with its health. */
async function renderHosts() {
	const body = $('#hosts tbody');
	let peers = [];
	try { peers = await api('GET', '/api/v1/peers'); } catch (e) { /* none */ }
	body.textContent = '';
	$('#hosts-section').hidden = peers.length === 0;
	for (const p of [{ name: null }].concat(peers)) {
		const base = p.name ? '/api/v1/peers/' + encodeURIComponent(p.name) : '/api/v1';
		const link = el('a', { href: p.name ? '#/peer/' + encodeURIComponent(p.name) + '/host'
						    : '#/host' }, p.name || 'this host');
		const tr = el('tr', { 'data-host': p.name || '' }, el('td', {}, link));
		body.append(tr);
		try {
			const h = await api('GET', base + '/host');
			const list = await api('GET', base + '/domains');
			const bad = (h.memory_contention || 0) > 0;
			tr.append(el('td', { class: 'health' }, bad ? 'memory contention' : 'healthy'),
				  el('td', {}, h.host), el('td', { class: 'num' }, h.nr_cpus),
				  el('td', { class: 'num' }, h.free_memory),
				  el('td', { class: 'num' }, h.overallocation),
				  el('td', { class: 'num' }, list.length));
		} catch (e) {
			tr.append(el('td', { class: 'health error', colSpan: 6 }, 'unreachable: ' + e.message));
		}
	}
}

async function start() {
	try {
		setSession(await api('GET', '/api/v1/session'));
	} catch (e) {
		if (e.status !== 401) showLogin('xlited does not answer: ' + e.message);
		return;
	}
	$('#login-view').hidden = true;
	startStream();
	route();
}

window.addEventListener('hashchange', () => { if (state.csrf) route(); });
start();
