/* xlite-blkfront: xlite's block frontend as a guest command. Attaches to
 * a vbd the toolstack gave this guest (through dom0's blkback), does one
 * command, detaches. The guest kernel's own blkfront must not be bound to
 * the device (the lab's guest boots with lab.nofront=blk). */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pv-drivers/core/blkfront.h"
#include "pv-drivers/core/vbd.h"
#include "pv-drivers/platform/linux-user/linux.h"
#include "pv-drivers/tools/tool.h"

#define CHUNK_SECTORS 8192u	/* 4 MiB per call: the ring stays full */

struct ctx {
	struct pvd_linux lx;
	struct pvd_blkfront bf;
	const char *dev;
	bool verbose;
	uint64_t t0;			/* ms, for -v */
	uint64_t io_ms, stdio_ms;	/* time in the frontend, in stdin/stdout */
};

static uint64_t now_ms(struct ctx *c)
{
	return c->lx.plat.ops->now_ms(&c->lx.plat);
}

static void trace(void *opaque, const char *line)
{
	struct ctx *c = opaque;

	fprintf(stderr, "xlite-blkfront: [%6llu ms] %s\n",
		(unsigned long long)(now_ms(c) - c->t0), line);
}

/* Set by SIGINT/SIGTERM: stop between chunks and detach cleanly. */
static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int failed(struct ctx *c, const char *what)
{
	fprintf(stderr, "xlite-blkfront: %s: %s\n", what, c->lx.plat.err.msg);
	return 1;
}

static int parse_num(const char *s, const char *what, uint64_t max, uint64_t *out)
{
	if (pvd_parse_u64(s, max, out) < 0) {
		fprintf(stderr, "xlite-blkfront: %s '%s' is not a number up to %llu\n",
			what, s, (unsigned long long)max);
		return -EINVAL;
	}
	return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Fills BUF from FD up to LEN bytes or end of input; bytes read. */
static ssize_t read_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);

		if (n < 0 && errno == EINTR) {
			if (stop_requested)
				return -EINTR;
			continue;
		}
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int cmd_info(struct ctx *c, char **argv)
{
	const struct pvd_blk_info *in = pvd_blkfront_info(&c->bf);

	(void)argv;
	printf("device %u (%s)\n", c->bf.vdev, c->bf.xb.node);
	printf("backend %s (domain %u)\n", c->bf.xb.backend, c->bf.xb.backend_id);
	printf("sectors %llu\n", (unsigned long long)in->sectors);
	printf("size-bytes %llu\n", (unsigned long long)in->sectors * PVD_SECTOR_SIZE);
	printf("sector-size %u\n", in->sector_size);
	printf("physical-sector-size %u\n", in->physical_sector_size);
	printf("readonly %d\n", in->readonly);
	printf("feature-flush-cache %d\n", in->flush);
	printf("feature-barrier %d\n", in->barrier);
	printf("feature-discard %d\n", in->discard);
	printf("feature-persistent %d\n", in->persistent);
	return fflush(stdout) == 0 ? 0 : 1;
}

static int cmd_read(struct ctx *c, char **argv)
{
	uint64_t sector, count, done = 0;
	uint8_t *buf;
	int rc = 1;

	if (parse_num(argv[0], "SECTOR", UINT64_MAX, &sector) < 0 ||
	    parse_num(argv[1], "COUNT", UINT64_MAX, &count) < 0)
		return 2;
	buf = malloc((size_t)CHUNK_SECTORS * PVD_SECTOR_SIZE);
	if (buf == NULL)
		return 1;
	while (done < count) {
		uint32_t n = count - done < CHUNK_SECTORS ? (uint32_t)(count - done) :
			CHUNK_SECTORS;
		uint64_t t;
		int r;

		if (stop_requested) {
			fprintf(stderr, "xlite-blkfront: interrupted\n");
			goto out;
		}
		t = now_ms(c);
		r = pvd_blkfront_read(&c->bf, sector + done, n, buf);
		c->io_ms += now_ms(c) - t;
		if (r < 0) {
			failed(c, "read");
			goto out;
		}
		t = now_ms(c);
		r = write_all(STDOUT_FILENO, buf, (size_t)n * PVD_SECTOR_SIZE);
		c->stdio_ms += now_ms(c) - t;
		if (r < 0) {
			fprintf(stderr, "xlite-blkfront: writing stdout: %s\n", strerror(-r));
			goto out;
		}
		done += n;
	}
	rc = 0;
out:
	free(buf);
	return rc;
}

static int flush_if_offered(struct ctx *c)
{
	if (!pvd_blkfront_info(&c->bf)->flush)
		return 0;
	return pvd_blkfront_flush(&c->bf) < 0 ? failed(c, "flush") : 0;
}

static int cmd_write(struct ctx *c, char **argv)
{
	size_t chunk = (size_t)CHUNK_SECTORS * PVD_SECTOR_SIZE;
	uint64_t sector, done = 0, limit = UINT64_MAX;
	uint8_t *buf;
	int rc = 1;

	if (parse_num(argv[0], "SECTOR", UINT64_MAX, &sector) < 0)
		return 2;
	if (argv[1] != NULL && parse_num(argv[1], "COUNT", UINT64_MAX, &limit) < 0)
		return 2;
	buf = malloc(chunk);
	if (buf == NULL)
		return 1;
	while (done < limit) {
		size_t want = limit - done < CHUNK_SECTORS ?
			(size_t)(limit - done) * PVD_SECTOR_SIZE : chunk;
		uint64_t t = now_ms(c);
		ssize_t len = read_full(STDIN_FILENO, buf, want);
		uint32_t n;
		int r = 0;

		c->stdio_ms += now_ms(c) - t;

		if (len < 0) {
			fprintf(stderr, "xlite-blkfront: reading stdin: %s\n",
				strerror((int)-len));
			goto out;
		}
		n = (uint32_t)((size_t)len / PVD_SECTOR_SIZE);
		t = now_ms(c);
		if (n > 0)
			r = pvd_blkfront_write(&c->bf, sector + done, n, buf);
		c->io_ms += now_ms(c) - t;
		if (r < 0) {
			failed(c, "write");
			goto out;
		}
		done += n;
		if ((size_t)len % PVD_SECTOR_SIZE != 0) {
			fprintf(stderr, "xlite-blkfront: input ends with %zu bytes, not a "
				"whole %u-byte sector; wrote the %llu whole sectors "
				"before them\n", (size_t)len % PVD_SECTOR_SIZE,
				PVD_SECTOR_SIZE, (unsigned long long)done);
			(void)flush_if_offered(c);
			goto out;
		}
		if ((size_t)len < want)
			break;
	}
	rc = flush_if_offered(c);
out:
	free(buf);
	return rc;
}

static int cmd_flush(struct ctx *c, char **argv)
{
	(void)argv;
	return pvd_blkfront_flush(&c->bf) < 0 ? failed(c, "flush") : 0;
}

struct cmd {
	const char *name;
	int min_args, max_args;
	const char *args;
	int (*fn)(struct ctx *c, char **argv);
	const char *help;
};

static const struct cmd cmds[] = {
	{ "info", 0, 0, "", cmd_info, "size, sector size and features of the disk" },
	{ "read", 2, 2, " SECTOR COUNT", cmd_read, "COUNT sectors from SECTOR to stdout" },
	{ "write", 1, 2, " SECTOR [COUNT]", cmd_write,
	  "stdin (at most COUNT sectors) to the disk from SECTOR, then flush" },
	{ "flush", 0, 0, "", cmd_flush, "flush the backend's write cache" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: xlite-blkfront [-v] [-t SECONDS] DEV COMMAND [ARGS]\n"
		"  DEV: xvda, /dev/xvda, or a device id such as 51712\n"
		"  sectors are 512 bytes; -t: handshake timeout (default 30);\n"
		"  -v: trace the handshake and time the transfer on stderr\n");
	for (i = 0; i < PVD_ARRAY_SIZE(cmds); i++)
		fprintf(f, "  %s%-*s %s\n", cmds[i].name,
			(int)(20 - strlen(cmds[i].name)), cmds[i].args, cmds[i].help);
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	const struct cmd *cmd = NULL;
	struct ctx c;
	uint64_t timeout_s = 30;
	uint32_t vdev;
	size_t i;
	int opt, rc, r;

	memset(&c, 0, sizeof(c));
	while ((opt = getopt(argc, argv, "+t:vh")) != -1) {
		switch (opt) {
		case 'v':
			c.verbose = true;
			break;
		case 't':
			if (parse_num(optarg, "-t", 3600, &timeout_s) < 0)
				return 2;
			break;
		case 'h':
		default:
			return pvd_tool_help_or_usage_error(usage, opt);
		}
	}
	if (argc - optind < 2) {
		usage(stderr);
		return 2;
	}
	for (i = 0; i < PVD_ARRAY_SIZE(cmds); i++)
		if (strcmp(cmds[i].name, argv[optind + 1]) == 0)
			cmd = &cmds[i];
	if (cmd == NULL || argc - optind - 2 < cmd->min_args ||
	    argc - optind - 2 > cmd->max_args) {
		usage(stderr);
		return 2;
	}
	if (pvd_vbd_parse(argv[optind], &vdev) < 0) {
		fprintf(stderr, "xlite-blkfront: '%s' is not a disk name (xvda) or a "
			"device id\n", argv[optind]);
		return 2;
	}
	if (pvd_linux_kernel_bound("vbd", vdev)) {
		fprintf(stderr, "xlite-blkfront: the guest kernel's blkfront drives vbd "
			"%u; boot with lab.nofront=blk or without xen-blkfront\n", vdev);
		return 1;
	}

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	c.dev = argv[optind];
	if (pvd_linux_open(&c.lx, PVD_LINUX_ALL) < 0) {
		rc = failed(&c, "opening Xen devices");
		goto out;
	}
	c.t0 = now_ms(&c);
	pvd_blkfront_init(&c.bf, &c.lx.plat, vdev);
	if (c.verbose) {
		c.bf.xb.trace = trace;
		c.bf.xb.trace_opaque = &c;
	}
	if (pvd_blkfront_attach(&c.bf, (uint32_t)timeout_s * 1000u) < 0) {
		rc = failed(&c, c.dev);
		goto out;
	}
	rc = cmd->fn(&c, argv + optind + 2);
	if (c.verbose)
		fprintf(stderr, "xlite-blkfront: %llu requests, %llu notifications, "
			"%llu waits; %llu ms in the frontend, %llu ms on stdin/stdout\n",
			(unsigned long long)c.bf.requests,
			(unsigned long long)c.bf.notifies,
			(unsigned long long)c.bf.waits,
			(unsigned long long)c.io_ms, (unsigned long long)c.stdio_ms);
	r = pvd_blkfront_detach(&c.bf, (uint32_t)timeout_s * 1000u);
	if (r < 0) {
		failed(&c, "detach");
		if (rc == 0)
			rc = 1;
	}
out:
	pvd_blkfront_dispose(&c.bf);	/* safe on a zeroed frontend */
	pvd_linux_close(&c.lx);
	return rc;
}
