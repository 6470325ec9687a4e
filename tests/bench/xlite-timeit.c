/* xlite-timeit: run a command and report its wall time (monotonic clock,
 * microseconds; busybox's date and time cannot) and its peak RSS (what it
 * and the children it waited for held, from wait4). For the benchmarks.
 *
 *   xlite-timeit [-o FILE] CMD [ARG...]
 *
 * Appends "ms=WALL maxrss_kb=RSS status=STATUS" to FILE (default: stderr)
 * and exits with CMD's status. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	struct rusage ru;
	double t0, t1;
	int status = 0, first = 1;
	pid_t pid;
	FILE *f = stderr;

	if (argc > 2 && strcmp(argv[1], "-o") == 0) {
		out = argv[2];
		first = 3;
	}
	if (first >= argc) {
		fprintf(stderr, "usage: xlite-timeit [-o FILE] CMD [ARG...]\n");
		return 2;
	}
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		perror("xlite-timeit: fork");
		return 127;
	}
	if (pid == 0) {
		execvp(argv[first], argv + first);
		fprintf(stderr, "xlite-timeit: %s: %s\n", argv[first], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("xlite-timeit: wait4");
			return 127;
		}
	}
	t1 = now_ms();
	if (out) {
		f = fopen(out, "a");
		if (!f) {
			fprintf(stderr, "xlite-timeit: %s: %s\n", out, strerror(errno));
			f = stderr;
		}
	}
	fprintf(f, "ms=%.1f maxrss_kb=%ld status=%d\n", t1 - t0, ru.ru_maxrss,
		WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	if (f != stderr)
		fclose(f);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
