/* Randomized exponential backoff for transactions refused with EAGAIN.
 * Twenty creates at once each add a child to /local/domain and /vm: their
 * transactions conflict, and rerunning them at once only makes them
 * conflict again. A random pause spreads the reruns; doubling it makes room
 * when many contend; a bound in time rather than in tries keeps the wait
 * finite whatever the number of contenders. */
#include <errno.h>

#include "xenstore-client/xsc-priv.h"

void xsc_backoff_start(const struct xsc_ctx *ctx, struct xsc_backoff *b)
{
	unsigned int budget_ms = ctx->retry.budget_ms ? ctx->retry.budget_ms
						      : XSC_RETRY_BUDGET_MS;

	b->start_us = g_get_monotonic_time();
	b->deadline_us = b->start_us + (gint64)budget_ms * 1000;
	b->delay_us = ctx->retry.first_us ? ctx->retry.first_us : XSC_RETRY_FIRST_US;
	b->max_us = ctx->retry.max_us ? ctx->retry.max_us : XSC_RETRY_MAX_US;
	if (b->delay_us > b->max_us)
		b->delay_us = b->max_us;
	b->runs = 1;
}

bool xsc_backoff_again(struct xsc_ctx *ctx, struct xsc_backoff *b)
{
	gint64 now = g_get_monotonic_time(), pause;

	if (now >= b->deadline_us) {
		xsc_err_set(&ctx->err, "xenstore transaction still conflicting after %u tries"
			    " in %.1f s", b->runs, (double)(now - b->start_us) / 1e6);
		return false;
	}
	/* Between half the delay and all of it; never past the deadline, so
	 * the last run comes when the budget ends. */
	pause = b->delay_us / 2 + (gint64)g_random_int_range(0, (gint32)(b->delay_us / 2 + 1));
	if (pause > b->deadline_us - now)
		pause = b->deadline_us - now;
	g_usleep((gulong)pause);
	ctx->retry_wait_us += (unsigned long)pause;
	ctx->n_retries++;
	b->delay_us = b->delay_us > b->max_us / 2 ? b->max_us : b->delay_us * 2;
	b->runs++;
	return true;
}
