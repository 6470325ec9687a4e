/* The per-name lock: two creates of one name cannot both win, and a
 * destroy or the monitor never cleans up under a create's feet. The
 * host's memory lock: two admissions never decide on the same free
 * memory. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libtool/apply/apply.h"
#include "libtool/memory/host.h"
#include "libtool/parse/config.h"

/* Opens (creating DIR 0700 and the file 0600) and flocks DIR/FILE;
 * TRIES > 0: gives up (-EBUSY) after that many tries 50 ms apart. */
static int lock_file_tries(const char *dir, const char *file, int tries, int *fd, char **err)
{
	char *path = NULL;
	int rc = 0;

	*fd = -1;
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", dir, g_strerror(errno));
		goto out;
	}
	path = g_strdup_printf("%s/%s", dir, file);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", path, g_strerror(errno));
		goto out;
	}
	while (flock(*fd, tries > 0 ? LOCK_EX | LOCK_NB : LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK && --tries > 0) {
			g_usleep(50000);
			continue;
		}
		rc = errno == EWOULDBLOCK ? -EBUSY : -errno;
		*err = g_strdup_printf("locking %s: %s", path, rc == -EBUSY ?
				       "held by another process" : g_strerror(errno));
		close(*fd);
		*fd = -1;
		goto out;
	}
out:
	g_free(path);
	return rc;
}

static int lock_file(const char *dir, const char *file, int *fd, char **err)
{
	return lock_file_tries(dir, file, 0, fd, err);
}

int xlite_name_lock(const char *dir, const char *name, int *fd, char **err)
{
	const char *why;
	char *file;
	int rc;

	*fd = -1;
	/* The name becomes a file name: only names the parser accepts. */
	why = xlite_name_invalid(name);
	if (why) {
		*err = g_strdup_printf("invalid domain name '%s': %s", name, why);
		return -EINVAL;
	}
	file = g_strdup_printf("%s.lock", name);
	rc = lock_file(dir, file, fd, err);
	g_free(file);
	return rc;
}

int xlite_memory_lock(const char *dir, int *fd, char **err)
{
	return lock_file(dir, XLITE_MEMORY_LOCK_FILE, fd, err);
}

int xlite_mem_set_min_locked(struct xlite_hv *hv, uint32_t domid, uint64_t kib, char **err)
{
	int fd = -1;
	int rc;

	rc = xlite_memory_lock(XLITE_LOCK_DIR, &fd, err);
	if (rc == 0)
		rc = xlite_mem_host_set_min(hv, domid, kib, err);
	xlite_name_unlock(&fd);
	return rc;
}

int xlite_daemon_lock(const char *dir, int *fd, char **err)
{
	/* A monitor looking (a shared lock for an instant) is not a daemon:
	 * a second of tries tells them apart. */
	int rc = lock_file_tries(dir, XLITE_DAEMON_LOCK_FILE, 20, fd, err);

	if (rc == -EBUSY) {
		g_free(*err);
		*err = g_strdup_printf("%s/%s: held by another xlited", dir, XLITE_DAEMON_LOCK_FILE);
	}
	return rc;
}

bool xlite_daemon_running(const char *dir)
{
	char *path = g_strdup_printf("%s/%s", dir, XLITE_DAEMON_LOCK_FILE);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool held = false;

	g_free(path);
	if (fd < 0)
		return false;
	while (flock(fd, LOCK_SH | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		held = errno == EWOULDBLOCK;
		break;
	}
	close(fd);
	return held;
}

void xlite_name_unlock(int *fd)
{
	if (*fd >= 0)
		close(*fd);	/* closing drops the flock */
	*fd = -1;
}
