/* xlite top: every domain in a live table, as xentop (libtool/report/top.c
 * reads and lays it out). On a terminal it redraws with plain ANSI escape
 * sequences (the alternate screen, cursor home, clear to the end) every
 * -d seconds and reads one key at a time; -b prints -n tables one after
 * another for scripts. */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "libtool/report/top.h"
#include "libtool/util/number.h"
#include "xl-lite/xlite.h"

#define ALT_SCREEN_ON "\033[?1049h\033[?25l"	/* and the cursor hidden */
#define ALT_SCREEN_OFF "\033[?25h\033[?1049l"
#define HOME_CLEAR "\033[H\033[J"

struct top_opts {
	unsigned int delay_s;
	bool batch;
	uint64_t iterations;		/* 0: until q */
	enum xlite_top_sort sort;
	bool reverse;
};

/* The terminal as the table needs it: no echo, a key at a time, and
 * SIGINT/SIGTERM/SIGWINCH as a descriptor to poll. */
struct term {
	struct termios saved;
	bool raw;
	sigset_t blocked, old_mask;
	int sig_fd;
};

static int term_open(struct term *t)
{
	struct termios raw;

	t->raw = false;
	t->sig_fd = -1;
	sigemptyset(&t->blocked);
	sigaddset(&t->blocked, SIGINT);
	sigaddset(&t->blocked, SIGTERM);
	sigaddset(&t->blocked, SIGWINCH);
	if (sigprocmask(SIG_BLOCK, &t->blocked, &t->old_mask) < 0)
		return -errno;
	t->sig_fd = signalfd(-1, &t->blocked, SFD_CLOEXEC | SFD_NONBLOCK);
	if (t->sig_fd < 0 || tcgetattr(STDIN_FILENO, &t->saved) < 0)
		return -errno;
	raw = t->saved;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_cc[VMIN] = 0;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0)
		return -errno;
	t->raw = true;
	fputs(ALT_SCREEN_ON, stdout);
	return 0;
}

static void term_close(struct term *t)
{
	if (t->raw) {
		fputs(ALT_SCREEN_OFF, stdout);
		fflush(stdout);
		tcsetattr(STDIN_FILENO, TCSANOW, &t->saved);
	}
	if (t->sig_fd >= 0)
		close(t->sig_fd);
	sigprocmask(SIG_SETMASK, &t->old_mask, NULL);
}

static void term_size(unsigned int *cols, unsigned int *rows)
{
	struct winsize ws;

	*cols = 80;
	*rows = 24;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col && ws.ws_row) {
		*cols = ws.ws_col;
		*rows = ws.ws_row;
	}
}

/* A key: changes O's sort; false for q. */
static bool on_key(char key, struct top_opts *o)
{
	static const struct { char key; enum xlite_top_sort sort; } keys[] = {
		{ 'i', XLITE_TOP_SORT_ID }, { 'n', XLITE_TOP_SORT_NAME },
		{ 'c', XLITE_TOP_SORT_CPU }, { 'm', XLITE_TOP_SORT_MEM },
		{ 't', XLITE_TOP_SORT_NET }, { 'd', XLITE_TOP_SORT_DISK },
	};
	unsigned int i;

	if (key == 'q' || key == 'Q')
		return false;
	if (key == 's')
		o->sort = (enum xlite_top_sort)((o->sort + 1) % XLITE_TOP_SORT_N);
	else if (key == 'r')
		o->reverse = !o->reverse;
	for (i = 0; i < G_N_ELEMENTS(keys); i++)
		if (keys[i].key == key)
			o->sort = keys[i].sort;
	return true;
}

/* One table onto stdout: the whole of it (batch), or the screen's worth. */
static void draw(const struct top_opts *o, struct xlite_top *now)
{
	GString *out = g_string_new(o->batch ? "" : HOME_CLEAR);
	unsigned int cols = 0, rows = 0;

	if (!o->batch) {
		term_size(&cols, &rows);
		/* the last line is the keys' */
		rows = rows > 1 ? rows - 1 : 1;
	}
	xlite_top_sort(now, o->sort, o->reverse);
	xlite_top_format(out, now, o->sort, cols, rows);
	if (o->batch) {
		g_string_append_c(out, '\n');
	} else {
		const char *keys = "q quit  s/i/n/c/m/t/d sort (next/id/name/cpu/mem/net/disk)  "
				   "r reverse";

		g_string_append_len(out, keys, MIN(strlen(keys), cols));
	}
	fwrite(out->str, 1, out->len, stdout);
	fflush(stdout);
	g_string_free(out, TRUE);
}

/* Until a key comes (q: false), a signal (a resize: true, else false) or
 * the monotonic time UNTIL_US. */
static bool wait_input(struct term *t, struct top_opts *o, gint64 until_us)
{
	struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { t->sig_fd, POLLIN, 0 } };
	struct signalfd_siginfo si;
	gint64 left = until_us - g_get_monotonic_time();
	char key;

	if (left <= 0)
		return true;
	if (poll(fds, 2, (int)((left + 999) / 1000)) < 0)
		return errno == EINTR;
	if (fds[1].revents & POLLIN)
		return read(t->sig_fd, &si, sizeof(si)) == sizeof(si) && si.ssi_signo == SIGWINCH;
	if (fds[0].revents & (POLLHUP | POLLERR))
		return false;
	if (fds[0].revents & POLLIN)
		return read(STDIN_FILENO, &key, 1) == 1 && on_key(key, o);
	return true;
}

/* A reading every delay, drawn at once and again after each key or
 * resize (in the new order or size) until then. */
static int run(struct xlite_hv *hv, struct top_opts *o)
{
	struct xlite_top a, b, *now = &a, *prev = &b, *swap;
	struct term t = { .sig_fd = -1 };
	gint64 next_us = 0;
	uint64_t n = 0;
	int rc = 0;

	xlite_top_init(&a);
	xlite_top_init(&b);
	if (!o->batch && (rc = term_open(&t)) < 0) {
		term_close(&t);
		xlite_err("top: the terminal: %s", g_strerror(-rc));
		goto out;
	}
	for (;;) {
		if (g_get_monotonic_time() >= next_us) {
			swap = prev;
			prev = now;
			now = swap;
			rc = xlite_top_read(hv, "", n ? prev : NULL, now);
			if (rc < 0)
				break;
			n++;
			next_us = now->mono_us + (gint64)o->delay_s * G_USEC_PER_SEC;
		}
		draw(o, now);
		if (o->iterations && n >= o->iterations)
			break;
		if (o->batch)
			g_usleep((gulong)MAX(0, next_us - g_get_monotonic_time()));
		else if (!wait_input(&t, o, next_us))
			break;
	}
	if (!o->batch)
		term_close(&t);
	if (rc < 0)
		xlite_err("%s", xlite_hv_error(hv));
out:
	xlite_top_dispose(&a);
	xlite_top_dispose(&b);
	return rc;
}

int xlite_cmd_top(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "delay", required_argument, NULL, 'd' },
		{ "batch", no_argument, NULL, 'b' },
		{ "iterations", required_argument, NULL, 'n' },
		{ "sort", required_argument, NULL, 's' },
		{ "reverse", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct top_opts o = { .delay_s = 3, .sort = XLITE_TOP_SORT_ID };
	struct xlite_hv hv = { 0 };
	uint64_t v;
	int c, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+d:bn:i:s:rh", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (xlite_number_parse(optarg, 1, 3600, &v) < 0) {
				xlite_err("top: -d %s: a delay is 1 to 3600 seconds", optarg);
				return XLITE_EXIT_USAGE;
			}
			o.delay_s = (unsigned int)v;
			break;
		case 'b':
			o.batch = true;
			break;
		case 'n':
		case 'i':	/* xentop's name for it */
			if (xlite_number_parse(optarg, 1, 1000000, &o.iterations) < 0) {
				xlite_err("top: -n %s: iterations are 1 to 1000000", optarg);
				return XLITE_EXIT_USAGE;
			}
			break;
		case 's':
			if (!xlite_top_sort_parse(optarg, &o.sort)) {
				xlite_err("top: -s %s: sort by id, name, cpu, mem, net or disk",
					  optarg);
				return XLITE_EXIT_USAGE;
			}
			break;
		case 'r':
			o.reverse = true;
			break;
		default:
			return xlite_usage(xlite_cmd_find("top"));
		}
	}
	if (optind != argc)
		return xlite_usage(xlite_cmd_find("top"));
	if (!o.batch && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		xlite_err("top: the live table needs a terminal; -b prints tables for scripts");
		return XLITE_EXIT_USAGE;
	}
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (run(&hv, &o) == 0)
		rc = XLITE_EXIT_OK;
out:
	xlite_hv_dispose(&hv);
	return rc;
}
