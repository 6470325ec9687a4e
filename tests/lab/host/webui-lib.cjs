// What the browser tests of tests/lab/host/ share: "ok - " / "not ok - "
// lines (failures counted), checks that catch, screenshots, and chromium
// (the system browser, through playwright-core) with a page of 1280x900.
'use strict';
const path = require('path');

const state = { failed: 0 };

function ok(what) { console.log('ok - browser: ' + what); }
function notOk(what, why) {
	state.failed++;
	console.log('not ok - browser: ' + what);
	if (why) console.log('#   ' + String(why).split('\n')[0]);
}
async function check(what, fn) {
	try { await fn(); ok(what); return true; } catch (e) { notOk(what, e.message); return false; }
}
async function shot(page, name) {
	try { await page.screenshot({ path: path.join(process.env.XLITE_LAB_OUT, name + '.png'), fullPage: true }); }
	catch (e) { console.log('# screenshot ' + name + ': ' + e.message); }
}
function expectEq(what, want, got) {
	if (want !== got) throw new Error(`${what}: expected '${want}', got '${got}'`);
}
// launch(): { browser, context, page, errors } (dom0's certificate is
// self-signed and made at xlited's first start: not checked here; the
// scenarios check it from dom0).
async function launch() {
	const { chromium } = require(process.env.XLITE_PLAYWRIGHT);
	const browser = await chromium.launch({
		executablePath: process.env.XLITE_CHROMIUM,
		headless: true,
		args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
	});
	const context = await browser.newContext({ ignoreHTTPSErrors: true,
						    viewport: { width: 1280, height: 900 } });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	const errors = [];
	page.on('pageerror', (e) => errors.push(e.message));
	return { browser, context, page, errors };
}

module.exports = { state, ok, notOk, check, shot, expectEq, launch };
