// The web console in headless chromium (playwright-core, the system
// browser): log in with the token, the host view and the domains table
// with the running GUEST, its page with a CPU chart that has points, pause
// and unpause through the page, a create whose XML has an error shown at
// its line, then a valid one, destroyed through the page. One "ok - " or
// "not ok - " line per check; screenshots in $XLITE_LAB_OUT.
'use strict';
const { state, notOk, check, shot, expectEq, launch } = require('./webui-lib.cjs');

const URL = process.env.XLITE_LAB_URL;
const OUT = process.env.XLITE_LAB_OUT;
const [TOKEN, GUEST] = process.argv.slice(2);
const NEW = 'webtiny';

const tinyXml = (name, memory) => `<domain type='xen'>
  <name>${name}</name>
  <memory unit='MiB'>${memory}</memory>
  <vcpu>1</vcpu>
  <os>
    <type>xen</type>
    <kernel>/lab/guests/tiny.bin</kernel>
  </os>
  <on_poweroff>destroy</on_poweroff>
</domain>
`;

(async () => {
	if (!URL || !OUT || !TOKEN || !GUEST) {
		notOk('usage: XLITE_LAB_URL XLITE_LAB_OUT webui.cjs TOKEN GUEST');
		process.exit(1);
	}
	const { browser, context, page, errors } = await launch();

	await check('the login page is served at /', async () => {
		await page.goto(URL + '/');
		await page.locator('#login-view').waitFor({ state: 'visible' });
	});
	await check('a wrong token is refused, said on the page', async () => {
		await page.fill('#token', TOKEN.slice(0, -1) + (TOKEN.endsWith('0') ? '1' : '0'));
		await page.click('#login-form button[type=submit]');
		await page.locator('#login-error', { hasText: 'not valid' }).waitFor();
	});
	await check('logging in with the token shows the host view', async () => {
		await page.fill('#token', TOKEN);
		await page.click('#login-form button[type=submit]');
		await page.locator('#host-view').waitFor({ state: 'visible' });
	});
	await check('the cookie is HttpOnly, Secure, SameSite=Strict', async () => {
		const c = (await context.cookies()).find((x) => x.name === 'xlited_token');
		if (!c) throw new Error('no xlited_token cookie');
		if (!c.httpOnly || !c.secure || c.sameSite !== 'Strict')
			throw new Error(JSON.stringify(c));
		const seen = await page.evaluate(() => document.cookie);
		if (seen.includes('xlited_token')) throw new Error('the page can read it');
	});
	await check('the host view: health, Xen version, memory bar with over-allocation', async () => {
		await page.locator('#host-health', { hasText: /healthy|contention/ }).waitFor();
		await page.locator('#host-facts', { hasText: 'Xen' }).waitFor();
		await page.locator('#mem-figures', { hasText: 'over-allocation' }).waitFor();
		const marks = await page.locator('#mem-bar .mark').count();
		if (marks < 3) throw new Error(`${marks} marks on the memory bar`);
	});
	await check('the host view shows the hypervisor log (xlite dmesg)', async () => {
		await page.locator('#dmesg', { hasText: '(XEN)' }).waitFor();
	});
	await check('the event feed starts with the daemon\'s history', async () => {
		await page.locator('#event-feed li', { hasText: `created ${GUEST}` }).first().waitFor();
	});
	const row = page.locator(`#domains tr[data-name="${GUEST}"]`);
	await check(`the domains table lists the running ${GUEST} and Domain-0`, async () => {
		await row.waitFor();
		await page.locator('#domains tr[data-name="Domain-0"]').waitFor();
		const st = (await row.locator('td.state').textContent()).trim();
		if (!/^[rb-]{2}-/.test(st)) throw new Error(`state '${st}'`);
	});
	await check('the domains table shows CPU % from the live samples', async () => {
		await page.waitForFunction((n) => {
			const td = document.querySelector(`#domains tr[data-name="${n}"] td:nth-child(5)`);
			return td && td.textContent.trim() !== '';
		}, GUEST, { timeout: 30000 });
	});
	await check('the host CPU chart has points', async () => {
		await page.waitForFunction(() => Number(document.querySelector('#host-cpu-chart')
			.getAttribute('data-points')) >= 2, null, { timeout: 30000 });
	});
	await check('the hosts table: this host, peer self healthy, peer bad refused (pin)', async () => {
		await page.locator('#hosts tr[data-host="self"] td.health', { hasText: 'healthy' }).waitFor();
		await page.locator('#hosts tr[data-host="bad"] td.health',
				   { hasText: 'not the' }).waitFor();
	});
	await shot(page, '1-host');
	await check('a peer\'s view (through this daemon) lists its domains', async () => {
		await page.click('#hosts tr[data-host="self"] a');
		await page.locator('#peer-label', { hasText: 'peer self' }).waitFor();
		await page.locator(`#domains tr[data-name="${GUEST}"] a[href^="#/peer/self/domain/"]`).waitFor();
	});
	await shot(page, '1b-peer');
	await check('back to this host from the header', async () => {
		await page.click('header h1 a');
		await page.locator(`#domains tr[data-name="${GUEST}"] a[href^="#/domain/"]`).waitFor();
		expectEq('peer label', '', (await page.textContent('#peer-label')).trim());
	});

	await check(`${GUEST}'s page opens from the table`, async () => {
		await row.locator('a').click();
		await page.locator('#domain-view').waitFor({ state: 'visible' });
		expectEq('title', GUEST, (await page.textContent('#dom-name')).trim());
	});
	const points = (sel) => page.evaluate((s) =>
		Number(document.querySelector(s).getAttribute('data-points') || 0), sel);
	await check('its CPU chart has points, and gets more live', async () => {
		await page.waitForFunction(() => Number(document.querySelector('#dom-cpu-chart')
			.getAttribute('data-points')) >= 2, null, { timeout: 30000 });
		const before = await points('#dom-cpu-chart');
		await page.waitForFunction((b) => Number(document.querySelector('#dom-cpu-chart')
			.getAttribute('data-points')) > b, before, { timeout: 30000 });
	});
	await check('its memory chart has points', async () => {
		if (await points('#dom-mem-chart') < 2) throw new Error('fewer than 2');
	});
	await check('xlite\'s log of it is shown (adopted by xlited)', async () => {
		await page.locator('#domlog', { hasText: 'adopted' }).waitFor();
	});
	await check('its console output is shown', async () => {
		// the guest's init prints "xlite-guest: ..." once its kernel booted
		for (let i = 0; ; i++) {
			await page.click('#console-refresh');
			await page.waitForTimeout(2000);
			if ((await page.textContent('#console')).includes('xlite-guest')) break;
			if (i >= 90) throw new Error('no "xlite-guest" in: ' +
				(await page.textContent('#console')).slice(-200));
		}
	});
	const badge = page.locator('#dom-state');
	// xlited sees a pause by polling Xen (2 s): each state is held until
	// its event has come
	await check('Pause in the page pauses it', async () => {
		await page.click('[data-action=pause]');
		await page.locator('#dom-state[data-state="paused"]').waitFor();
		await page.locator('#dom-msg', { hasText: 'pause: done' }).waitFor();
	});
	await check('the event feed shows it paused (SSE)', async () => {
		await page.locator('#event-feed li', { hasText: `paused ${GUEST}` }).first().waitFor();
	});
	await shot(page, '2-domain-paused');
	await check('Unpause in the page runs it again', async () => {
		await page.click('[data-action=unpause]');
		await page.locator('#dom-state[data-state="running"]').waitFor();
	});
	await check('the event feed shows it unpaused (SSE)', async () => {
		await page.locator('#event-feed li', { hasText: `unpaused ${GUEST}` }).first().waitFor();
	});
	await shot(page, '3-domain');

	await page.goto(URL + '/#/create');
	await check('create: an XML error is shown at its line', async () => {
		await page.locator('#create-view').waitFor({ state: 'visible' });
		await page.fill('#xml', tinyXml(NEW, 'lots'));
		await page.click('#plan');
		await page.locator('#create-error[data-line="3"]').waitFor();
		await page.locator('#xml-lines li.err[data-line="3"]').waitFor();
		const n = await page.locator('#xml-lines li.err').count();
		expectEq('lines marked', 1, n);
	});
	await shot(page, '4-create-error');
	await check('create: Plan shows the plan and makes nothing', async () => {
		await page.fill('#xml', tinyXml(NEW, 16));
		await page.click('#plan');
		await page.locator('#plan-out', { hasText: `"name": "${NEW}"` }).waitFor();
		const r = await page.request.get(URL + '/api/v1/domains/' + NEW);
		expectEq('status of the planned domain', 404, r.status());
	});
	await check('create: Create makes it and opens its page', async () => {
		await page.click('#create');
		await page.waitForURL(new RegExp('#/domain/' + NEW + '$'), { timeout: 60000 });
		await page.locator('#dom-state[data-state="running"]').waitFor({ timeout: 60000 });
	});
	await check('a change without the CSRF header is refused (cookie alone)', async () => {
		const r = await page.request.post(URL + '/api/v1/domains/' + NEW + '/pause');
		expectEq('status', 401, r.status());
	});
	await check('Destroy, confirmed, destroys it', async () => {
		page.once('dialog', (d) => d.accept());
		await page.click('[data-action=destroy]');
		await page.locator('#dom-msg', { hasText: 'destroy: done' }).waitFor();
		await page.locator('#event-feed li', { hasText: `destroyed ${NEW}` }).first().waitFor();
		const r = await page.request.get(URL + '/api/v1/domains/' + NEW);
		expectEq('status after destroy', 404, r.status());
	});
	await shot(page, '5-destroyed');
	await check('no script error in the page', async () => {
		if (errors.length) throw new Error(errors.join('; '));
	});
	await browser.close();
	console.log(`# screenshots in ${OUT}`);
	process.exit(state.failed ? 1 : 0);
})().catch((e) => {
	notOk('the browser test ran to its end', e.stack || e.message);
	process.exit(1);
});
