/* One error message for the caller: see fail.h. */
#include <stdarg.h>

#include <glib.h>

#include "libtool/util/fail.h"

int xlite_fail(char **err, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*err = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	return rc;
}
