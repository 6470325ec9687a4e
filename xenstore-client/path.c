/* Path and value checks made before anything is sent to xenstored. */
#include <errno.h>
#include <string.h>

#include "xenstore-client/xsc.h"

/* xenstored's own node name alphabet (is_valid_nodename). */
static bool path_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '@';
}

int xsc_path_validate(const char *path, struct xsc_err *err)
{
	size_t len, i;

	if (!path || !path[0]) {
		xsc_err_set(err, "empty xenstore path");
		return -EINVAL;
	}
	len = strlen(path);
	if (len > XENSTORE_ABS_PATH_MAX) {
		xsc_err_set(err, "xenstore path too long (%zu bytes, at most %d)",
			    len, XENSTORE_ABS_PATH_MAX);
		return -ENAMETOOLONG;
	}
	if (path[0] != '/') {
		xsc_err_set(err, "xenstore path '%s' is not absolute", path);
		return -EINVAL;
	}
	if (len == 1)
		return 0;
	if (path[len - 1] == '/') {
		xsc_err_set(err, "xenstore path '%s' ends with '/'", path);
		return -EINVAL;
	}
	for (i = 1; i < len; i++) {
		if (path[i] == '/') {
			if (path[i - 1] == '/') {
				xsc_err_set(err, "xenstore path '%s' has an empty component", path);
				return -EINVAL;
			}
			continue;
		}
		if (!path_char_ok(path[i])) {
			xsc_err_set(err, "xenstore path '%.64s' has an invalid character at offset %zu"
				    " (allowed: letters, digits, '-', '_', '@')", path, i);
			return -EINVAL;
		}
	}
	return 0;
}

int xsc_watch_path_validate(const char *path, struct xsc_err *err)
{
	if (path && (strcmp(path, "@releaseDomain") == 0 ||
		     strcmp(path, "@introduceDomain") == 0))
		return 0;
	return xsc_path_validate(path, err);
}

int xsc_value_validate(const char *path, size_t value_len, struct xsc_err *err)
{
	size_t path_len = strlen(path);

	if (path_len + 1 > XENSTORE_PAYLOAD_MAX ||
	    value_len > XENSTORE_PAYLOAD_MAX - path_len - 1) {
		xsc_err_set(err, "value for %.64s too long (%zu bytes; path + value must fit %d)",
			    path, value_len, XENSTORE_PAYLOAD_MAX);
		return -E2BIG;
	}
	return 0;
}
