/* The per-name lock: two creates of one name cannot both win, and a
 * destroy or the monitor never cleans up under a create's feet. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libtool/apply/apply.h"
#include "libtool/parse/config.h"

int xlite_name_lock(const char *dir, const char *name, int *fd, char **err)
{
	const char *why;
	char *path = NULL;
	int rc = 0;

	*fd = -1;
	/* The name becomes a file name: only names the parser accepts. */
	why = xlite_name_invalid(name);
	if (why) {
		*err = g_strdup_printf("invalid domain name '%s': %s", name, why);
		return -EINVAL;
	}
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", dir, g_strerror(errno));
		goto out;
	}
	path = g_strdup_printf("%s/%s.lock", dir, name);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", path, g_strerror(errno));
		goto out;
	}
	while (flock(*fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		rc = -errno;
		*err = g_strdup_printf("locking %s: %s", path, g_strerror(errno));
		close(*fd);
		*fd = -1;
		goto out;
	}
out:
	g_free(path);
	return rc;
}

void xlite_name_unlock(int *fd)
{
	if (*fd >= 0)
		close(*fd);	/* closing drops the flock */
	*fd = -1;
}
