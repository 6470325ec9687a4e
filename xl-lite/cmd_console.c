/* xlite console: attach the terminal to a domain's PV console, the pty
 * xenconsoled publishes as /local/domain/D/console/tty, as `xl console`
 * (xenconsole) does. Raw mode; Ctrl-] leaves. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/hv/hv.h"
#include "xl-lite/xlite.h"

#define ESCAPE_CHAR 0x1d	/* Ctrl-] */
#define TTY_WAIT_MS 10000	/* xenconsoled writes tty just after the create */

/* xenconsoled's pty, as it wrote it: "/dev/pts/N" and nothing else. */
static bool tty_path_ok(const char *p)
{
	const char *n;

	if (!g_str_has_prefix(p, "/dev/pts/"))
		return false;
	n = p + strlen("/dev/pts/");
	return *n && strlen(n) <= 8 && strspn(n, "0123456789") == strlen(n);
}

static int wait_tty(struct xlite_hv *hv, uint32_t domid, char **tty)
{
	char path[64];
	gint64 deadline = g_get_monotonic_time() + (gint64)TTY_WAIT_MS * 1000;

	snprintf(path, sizeof(path), "/local/domain/%u/console/tty", domid);
	for (;;) {
		if (hv->ops->xs_read(hv, path, tty) == 0) {
			if (tty_path_ok(*tty))
				return 0;
			xlite_err("domain %u: unexpected console tty '%s'", domid, *tty);
			g_free(*tty);
			*tty = NULL;
			return -EINVAL;
		}
		if (g_get_monotonic_time() >= deadline) {
			xlite_err("domain %u has no console (is xenconsoled running?)", domid);
			return -ENOENT;
		}
		g_usleep(100 * 1000);
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Copies both ways until Ctrl-] on the terminal or the console closes. */
static int relay(int con)
{
	struct pollfd fds[2] = { { STDIN_FILENO, POLLIN, 0 }, { con, POLLIN, 0 } };
	char buf[4096];
	ssize_t n;

	for (;;) {
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (fds[0].revents & (POLLIN | POLLHUP)) {
			n = read(STDIN_FILENO, buf, sizeof(buf));
			if (n <= 0) {
				fds[0].fd = -1;	/* input ended: keep showing output */
			} else {
				char *esc = memchr(buf, ESCAPE_CHAR, (size_t)n);

				if (write_all(con, buf, esc ? (size_t)(esc - buf) : (size_t)n) < 0)
					return 0;
				if (esc)
					return 0;
			}
		}
		if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = read(con, buf, sizeof(buf));
			if (n <= 0)
				return 0;	/* the domain went away */
			if (write_all(STDOUT_FILENO, buf, (size_t)n) < 0)
				return 0;
		}
	}
}

int xlite_cmd_console(struct xlite_cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "type", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct xlite_hv hv = { 0 };
	struct termios saved, raw;
	bool restore = false;
	uint32_t domid;
	char *tty = NULL;
	int c, con = -1, rc = XLITE_EXIT_FAIL;

	(void)cli;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+t:", opts, NULL)) != -1) {
		if (c != 't' || strcmp(optarg, "pv") != 0)
			return xlite_usage(xlite_cmd_find("console"));
	}
	if (optind != argc - 1)
		return xlite_usage(xlite_cmd_find("console"));
	if (xlite_cli_hv_open(&hv, 0) < 0)
		goto out;
	if (xlite_cli_resolve(&hv, argv[optind], &domid) < 0)
		goto out;
	if (wait_tty(&hv, domid, &tty) < 0)
		goto out;
	con = open(tty, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (con < 0) {
		xlite_err("%s: %s", tty, g_strerror(errno));
		goto out;
	}
	if (tcgetattr(con, &raw) == 0) {
		cfmakeraw(&raw);
		tcsetattr(con, TCSANOW, &raw);
	}
	if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0) {
		raw = saved;
		cfmakeraw(&raw);
		restore = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	}
	relay(con);
	rc = XLITE_EXIT_OK;
out:
	if (restore)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	if (con >= 0)
		close(con);
	g_free(tty);
	xlite_hv_dispose(&hv);
	return rc;
}
