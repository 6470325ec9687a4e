/* The "char **err" convention of the host-device helpers and the planner. */
#ifndef XLITE_FAIL_H
#define XLITE_FAIL_H

/* Sets *ERR to the formatted message (g_free it) and returns RC, so that
 * `return xlite_fail(err, -EINVAL, ...);` reads. */
int xlite_fail(char **err, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
