/* One error message for the caller: see fail.h. */
#include <stdarg.h>
#include <stdio.h>

#include "libtool/util/fail.h"

int xlite_fail(char **err, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(err, fmt, ap) < 0)
		*err = NULL;
	va_end(ap);
	return rc;
}
