// The console of two hosts in headless chromium (scenarios2/30-console.sh
// on the two-host lab): host 1's xlited has host 2 as peer PEER; GUEST1
// runs on host 1, GUEST2 on host 2. Log in to host 1; the hosts table has
// both hosts healthy (PEER by its own host name, xlite-lab-2); each host's
// domains table lists only its own guest; GUEST2's page, reached through
// host 1, pauses and unpauses it on host 2 (the state shown is host 2's,
// read from Xen there through host 1). Screenshots in $XLITE_LAB_OUT.
'use strict';
const { state, notOk, check, shot, expectEq, launch } = require('./webui-lib.cjs');

const URL = process.env.XLITE_LAB_URL;
const [TOKEN, PEER, G1, G2] = process.argv.slice(2);

(async () => {
	if (!URL || !process.env.XLITE_LAB_OUT || !G2) {
		notOk('usage: XLITE_LAB_URL XLITE_LAB_OUT webui-peers.cjs TOKEN PEER GUEST1 GUEST2');
		process.exit(1);
	}
	const { browser, page, errors } = await launch();
	const rows = (name) => page.locator(`#domains tr[data-name="${name}"]`).count();

	await check('logging in to host 1 shows its host view', async () => {
		await page.goto(URL + '/');
		await page.fill('#token', TOKEN);
		await page.click('#login-form button[type=submit]');
		await page.locator('#host-view').waitFor({ state: 'visible' });
	});
	await check(`the hosts table: this host and ${PEER} (xlite-lab-2), both healthy`, async () => {
		await page.locator('#hosts tr[data-host=""] td.health', { hasText: 'healthy' }).waitFor();
		const peer = page.locator(`#hosts tr[data-host="${PEER}"]`);
		await peer.locator('td.health', { hasText: 'healthy' }).waitFor();
		expectEq(`${PEER}'s host name`, 'xlite-lab-2', (await peer.locator('td').nth(2).textContent()).trim());
	});
	await check(`this host's domains table: ${G1}, not ${G2}`, async () => {
		await page.locator(`#domains tr[data-name="${G1}"] a[href^="#/domain/"]`).waitFor();
		expectEq(`rows of ${G2}`, 0, await rows(G2));
	});
	await shot(page, '1-hosts');
	await check(`${PEER}'s view (through host 1): ${G2}, not ${G1}`, async () => {
		await page.click(`#hosts tr[data-host="${PEER}"] a`);
		await page.locator('#peer-label', { hasText: `peer ${PEER}` }).waitFor();
		await page.locator(`#domains tr[data-name="${G2}"] a[href^="#/peer/${PEER}/domain/"]`).waitFor();
		expectEq(`rows of ${G1}`, 0, await rows(G1));
	});
	await shot(page, '2-peer');
	await check(`${G2}'s page on ${PEER} opens from its table`, async () => {
		await page.click(`#domains tr[data-name="${G2}"] a`);
		await page.locator('#domain-view').waitFor({ state: 'visible' });
		expectEq('title', G2, (await page.textContent('#dom-name')).trim());
	});
	await check(`${G2}'s CPU and memory charts have points (its history, from host 2)`, async () => {
		await page.waitForFunction(() => ['#dom-cpu-chart', '#dom-mem-chart'].every((s) =>
			Number(document.querySelector(s).getAttribute('data-points')) >= 2),
		null, { timeout: 60000 });
	});
	await check(`Pause pauses ${G2} on ${PEER}`, async () => {
		await page.click('[data-action=pause]');
		await page.locator('#dom-msg', { hasText: 'pause: done' }).waitFor();
		await page.locator('#dom-state[data-state="paused"]').waitFor({ timeout: 60000 });
	});
	await shot(page, '3-peer-domain');
	await check(`Unpause runs it again on ${PEER}`, async () => {
		await page.click('[data-action=unpause]');
		await page.locator('#dom-msg', { hasText: 'unpause: done' }).waitFor();
		await page.locator('#dom-state[data-state="running"]').waitFor({ timeout: 60000 });
	});
	await check('no script error in the page', async () => {
		if (errors.length) throw new Error(errors.join('; '));
	});
	await browser.close();
	console.log(`# screenshots in ${process.env.XLITE_LAB_OUT}`);
	process.exit(state.failed ? 1 : 0);
})().catch((e) => {
	notOk('the browser test ran to its end', e.stack || e.message);
	process.exit(1);
});
