/* pv-drivers core: what every part of the portable frontend core shares.
 *
 * The core assumes nothing beyond a C11 compiler: it includes only C
 * standard headers (freestanding ones, plus <string.h> and <errno.h>) and
 * Xen's public io/ headers. No allocation, no stdio: every buffer is fixed
 * size and every failure is a negative errno-style code with a message
 * recorded in a struct pvd_err by the code that knows why. */
#ifndef PVD_PVD_H
#define PVD_PVD_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* errno values the core returns; a platform without POSIX errno gets
 * Linux's numbers. */
#ifndef ENOENT
#define ENOENT 2
#endif
#ifndef EIO
#define EIO 5
#endif
#ifndef E2BIG
#define E2BIG 7
#endif
#ifndef EAGAIN
#define EAGAIN 11
#endif
#ifndef ENOMEM
#define ENOMEM 12
#endif
#ifndef EBUSY
#define EBUSY 16
#endif
#ifndef ENODEV
#define ENODEV 19
#endif
#ifndef EINVAL
#define EINVAL 22
#endif
#ifndef ENOSPC
#define ENOSPC 28
#endif
#ifndef EROFS
#define EROFS 30
#endif
#ifndef ERANGE
#define ERANGE 34
#endif
#ifndef ENAMETOOLONG
#define ENAMETOOLONG 36
#endif
#ifndef EPROTO
#define EPROTO 71
#endif
#ifndef EMSGSIZE
#define EMSGSIZE 90
#endif
#ifndef EOPNOTSUPP
#define EOPNOTSUPP 95
#endif
#ifndef ECONNRESET
#define ECONNRESET 104
#endif
#ifndef ENOTCONN
#define ENOTCONN 107
#endif
#ifndef ETIMEDOUT
#define ETIMEDOUT 110
#endif
#ifndef ECONNREFUSED
#define ECONNREFUSED 111
#endif
#ifndef ECANCELED
#define ECANCELED 125
#endif

#define PVD_PAGE_SIZE 4096u
#define PVD_SECTOR_SIZE 512u	/* blkif addresses the disk in these */
#define PVD_PATH_MAX 256u	/* our xenstore paths; longer ones are refused */
#define PVD_VALUE_MAX 128u	/* longest xenstore value the core reads */
#define PVD_ERR_MAX 256u

#define PVD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define PVD_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PVD_PRINTF(f, a)
#endif

/* The last failure: its code and why. */
struct pvd_err {
	int code;
	char msg[PVD_ERR_MAX];
};

void pvd_err_clear(struct pvd_err *e);

/* Records CODE (negative) and the formatted message unless an error is
 * already recorded (the first cause wins: cleanup that fails after it must
 * not hide it); returns CODE. Entry points of the core clear E first. */
int pvd_fail(struct pvd_err *e, int code, const char *fmt, ...) PVD_PRINTF(3, 4);

/* A small snprintf for the core: %s %c %d %u %x and the l, ll, z length
 * modifiers, a 0 flag and a width. Always NUL-terminates when size > 0.
 * Returns the length written, or -ENAMETOOLONG when the result did not fit. */
int pvd_fmt(char *buf, size_t size, const char *fmt, ...) PVD_PRINTF(3, 4);
int pvd_vfmt(char *buf, size_t size, const char *fmt, va_list ap);

/* Strict decimal: one or more digits, no sign, no blanks, value <= max.
 * Returns 0, -EINVAL (not a number) or -ERANGE (too large). */
int pvd_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* "DIR/NAME" into buf; -ENAMETOOLONG when it does not fit. */
int pvd_path(char *buf, size_t size, const char *dir, const char *name);

#endif
