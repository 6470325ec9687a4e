/* pv-drivers core: error recording, formatting and parsing without libc's
 * stdio/stdlib (the core must build anywhere with a C compiler). */
#include <string.h>

#include "pv-drivers/core/pvd.h"

void pvd_err_clear(struct pvd_err *e)
{
	e->code = 0;
	e->msg[0] = '\0';
}

int pvd_fail(struct pvd_err *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e->code != 0)
		return code;
	va_start(ap, fmt);
	(void)pvd_vfmt(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	e->code = code;
	return code;
}

struct out {
	char *buf;
	size_t size;
	size_t len;		/* characters produced, even past size */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, unsigned long long v, unsigned int base,
		    bool neg, unsigned int width, char pad)
{
	char tmp[24];
	unsigned int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	if (neg)
		tmp[n++] = '-';
	while (width > n) {
		put(o, pad);
		width--;
	}
	while (n > 0)
		put(o, tmp[--n]);
}

int pvd_vfmt(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	const char *p;

	for (p = fmt; *p != '\0'; p++) {
		unsigned int width = 0, lng = 0;
		char pad = ' ';
		bool size_t_arg = false;

		if (*p != '%') {
			put(&o, *p);
			continue;
		}
		p++;
		if (*p == '0') {
			pad = '0';
			p++;
		}
		while (*p >= '0' && *p <= '9' && width < 64)
			width = width * 10 + (unsigned int)(*p++ - '0');
		while (*p == 'l' && lng < 2) {
			lng++;
			p++;
		}
		if (*p == 'z') {
			size_t_arg = true;
			p++;
		}
		switch (*p) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n;

			if (s == NULL)
				s = "(null)";
			n = strlen(s);
			while (width > n) {
				put(&o, ' ');
				width--;
			}
			while (*s != '\0')
				put(&o, *s++);
			break;
		}
		case 'c':
			put(&o, (char)va_arg(ap, int));
			break;
		case 'd': {
			long long v;

			if (lng == 2)
				v = va_arg(ap, long long);
			else if (lng == 1)
				v = va_arg(ap, long);
			else
				v = va_arg(ap, int);
			put_num(&o, v < 0 ? 0ull - (unsigned long long)v :
				(unsigned long long)v, 10, v < 0, width, pad);
			break;
		}
		case 'u':
		case 'x': {
			unsigned long long v;

			if (size_t_arg)
				v = va_arg(ap, size_t);
			else if (lng == 2)
				v = va_arg(ap, unsigned long long);
			else if (lng == 1)
				v = va_arg(ap, unsigned long);
			else
				v = va_arg(ap, unsigned int);
			put_num(&o, v, *p == 'x' ? 16 : 10, false, width, pad);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			p--;	/* a lone '%' at the end */
			break;
		default:
			put(&o, '%');
			put(&o, *p);
			break;
		}
	}
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	if (o.len >= size)
		return -ENAMETOOLONG;
	return (int)o.len;
}

int pvd_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = pvd_vfmt(buf, size, fmt, ap);
	va_end(ap);
	return r;
}

int pvd_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	const char *p = s;

	if (s == NULL || *s == '\0')
		return -EINVAL;
	for (; *p != '\0'; p++) {
		unsigned int d;

		if (*p < '0' || *p > '9')
			return -EINVAL;
		d = (unsigned int)(*p - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	if (v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int pvd_path(char *buf, size_t size, const char *dir, const char *name)
{
	return pvd_fmt(buf, size, "%s/%s", dir, name) < 0 ? -ENAMETOOLONG : 0;
}
