/* Numbers through g_ascii_string_to_unsigned, errors as negative errno. */
#include <errno.h>

#include <glib.h>

#include "libtool/util/number.h"

int xlite_number_parse(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	g_autoptr(GError) err = NULL;
	guint64 v;

	if (!s)
		return -EINVAL;
	if (!g_ascii_string_to_unsigned(s, 10, min, max, &v, &err))
		return g_error_matches(err, G_NUMBER_PARSER_ERROR,
				       G_NUMBER_PARSER_ERROR_OUT_OF_BOUNDS) ? -ERANGE : -EINVAL;
	*out = v;
	return 0;
}
