/* The decompressed-kernel cache (see kcache.h). */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "libtool/apply/kcache.h"
#include "libtool/util/fail.h"

#define KCACHE_MAX_FILE (1024ull * 1024 * 1024)	/* what libxenguest accepts */

static int write_all(int fd, const unsigned char *p, size_t len);

static bool key_ok(const char *key)
{
	return strlen(key) == XLITE_KCACHE_KEY_LEN &&
	       strspn(key, "0123456789abcdef") == XLITE_KCACHE_KEY_LEN;
}

/* Reads a little-endian field of N bytes at OFF (bounds checked by caller). */
static uint64_t le(const unsigned char *p, size_t off, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 8) | p[off + n];
	return v;
}

static bool range_ok(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

bool xlite_kcache_elf_valid(const void *blob, size_t len)
{
	const unsigned char *p = blob;
	bool is64;
	uint64_t phoff, phentsize, phnum, shoff, shentsize, shnum, i;
	size_t ehsize;

	if (len < EI_NIDENT || memcmp(p, ELFMAG, SELFMAG) != 0)
		return false;
	if (p[EI_DATA] != ELFDATA2LSB || p[EI_VERSION] != EV_CURRENT)
		return false;
	if (p[EI_CLASS] != ELFCLASS64 && p[EI_CLASS] != ELFCLASS32)
		return false;
	is64 = p[EI_CLASS] == ELFCLASS64;
	ehsize = is64 ? sizeof(Elf64_Ehdr) : sizeof(Elf32_Ehdr);
	if (len < ehsize)
		return false;
	if (is64) {
		phoff = le(p, offsetof(Elf64_Ehdr, e_phoff), 8);
		phentsize = le(p, offsetof(Elf64_Ehdr, e_phentsize), 2);
		phnum = le(p, offsetof(Elf64_Ehdr, e_phnum), 2);
		if (phentsize != sizeof(Elf64_Phdr))
			return false;
	} else {
		phoff = le(p, offsetof(Elf32_Ehdr, e_phoff), 4);
		phentsize = le(p, offsetof(Elf32_Ehdr, e_phentsize), 2);
		phnum = le(p, offsetof(Elf32_Ehdr, e_phnum), 2);
		if (phentsize != sizeof(Elf32_Phdr))
			return false;
	}
	if (phnum == 0 || !range_ok(phoff, phnum * phentsize, len))
		return false;
	/* The section headers sit at the end of the file: a truncated entry
	 * loses them first (and libxenguest's ELF loader reads them too). */
	if (is64) {
		shoff = le(p, offsetof(Elf64_Ehdr, e_shoff), 8);
		shentsize = le(p, offsetof(Elf64_Ehdr, e_shentsize), 2);
		shnum = le(p, offsetof(Elf64_Ehdr, e_shnum), 2);
	} else {
		shoff = le(p, offsetof(Elf32_Ehdr, e_shoff), 4);
		shentsize = le(p, offsetof(Elf32_Ehdr, e_shentsize), 2);
		shnum = le(p, offsetof(Elf32_Ehdr, e_shnum), 2);
	}
	if (shnum && !range_ok(shoff, shnum * shentsize, len))
		return false;
	for (i = 0; i < phnum; i++) {
		size_t ph = phoff + i * phentsize;
		uint64_t off, filesz;

		if (is64) {
			off = le(p, ph + offsetof(Elf64_Phdr, p_offset), 8);
			filesz = le(p, ph + offsetof(Elf64_Phdr, p_filesz), 8);
		} else {
			off = le(p, ph + offsetof(Elf32_Phdr, p_offset), 4);
			filesz = le(p, ph + offsetof(Elf32_Phdr, p_filesz), 4);
		}
		if (!range_ok(off, filesz, len))
			return false;
	}
	return true;
}

int xlite_kcache_key(const char *file, char key[XLITE_KCACHE_KEY_LEN + 1], bool *is_elf,
		     char **err)
{
	GChecksum *sum = NULL;
	struct stat st;
	void *map = MAP_FAILED;
	int fd, rc = 0;

	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", file, g_strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode) || st.st_size < 4 || (uint64_t)st.st_size > KCACHE_MAX_FILE) {
		rc = -EINVAL;
		*err = g_strdup_printf("%s: not a kernel image file", file);
		goto out;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", file, g_strerror(errno));
		goto out;
	}
	*is_elf = memcmp(map, ELFMAG, SELFMAG) == 0;
	sum = g_checksum_new(G_CHECKSUM_SHA256);
	g_checksum_update(sum, map, (gssize)st.st_size);
	g_strlcpy(key, g_checksum_get_string(sum), XLITE_KCACHE_KEY_LEN + 1);
out:
	if (sum)
		g_checksum_free(sum);
	if (map != MAP_FAILED)
		munmap(map, (size_t)st.st_size);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The memo line: "dev ino size mtime.ns ctime.ns is_elf key". */
static char *memo_line(const struct stat *st, bool is_elf, const char *key)
{
	return g_strdup_printf("%llu %llu %lld %lld.%09ld %lld.%09ld %d %s\n",
			       (unsigned long long)st->st_dev, (unsigned long long)st->st_ino,
			       (long long)st->st_size, (long long)st->st_mtim.tv_sec,
			       st->st_mtim.tv_nsec, (long long)st->st_ctim.tv_sec,
			       st->st_ctim.tv_nsec, is_elf ? 1 : 0, key ? key : "");
}

int xlite_kcache_key_memo(const char *dir, const char *file,
			  char key[XLITE_KCACHE_KEY_LEN + 1], bool *is_elf, char **err)
{
	struct stat st, dst;
	char *memo = NULL, *want = NULL, *have = NULL, *tmp = NULL, *dir_err = NULL;
	gsize len = 0;
	bool dir_ok;
	int rc;

	if (stat(file, &st) < 0) {
		*err = g_strdup_printf("%s: %s", file, g_strerror(errno));
		return -errno;
	}
	/* A directory that fails its checks holds no memo we trust or write. */
	dir_ok = xlite_kcache_dir_check(dir, &dir_err) == 0;
	g_free(dir_err);
	memo = g_strdup_printf("%s/stat-%llu-%llu", dir, (unsigned long long)st.st_dev,
			       (unsigned long long)st.st_ino);
	want = memo_line(&st, false, NULL);
	/* Trusted only when ours and not writable by others, like entries. */
	if (dir_ok && lstat(memo, &dst) == 0 && S_ISREG(dst.st_mode) && dst.st_uid == geteuid() &&
	    !(dst.st_mode & 022) && g_file_get_contents(memo, &have, &len, NULL)) {
		/* want ends "0 \n": compare the stat part, then take the rest. */
		size_t n = strlen(want) - 3;
		const char *rest = have + n;

		if (len == n + 2 + XLITE_KCACHE_KEY_LEN + 1 && strncmp(have, want, n) == 0 &&
		    (rest[0] == '0' || rest[0] == '1') && rest[1] == ' ' &&
		    rest[2 + XLITE_KCACHE_KEY_LEN] == '\n') {
			memcpy(key, rest + 2, XLITE_KCACHE_KEY_LEN);
			key[XLITE_KCACHE_KEY_LEN] = '\0';
			if (key_ok(key)) {
				*is_elf = rest[0] == '1';
				rc = 0;
				goto out;
			}
		}
	}
	rc = xlite_kcache_key(file, key, is_elf, err);
	if (rc < 0)
		goto out;
	/* Remember it (best effort: a failure only costs the next hash). */
	if (dir_ok) {
		char *line = memo_line(&st, *is_elf, key);
		int fd;

		tmp = g_strdup_printf("%s.XXXXXX", memo);
		fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
		if (fd >= 0) {
			bool ok = write_all(fd, (const unsigned char *)line, strlen(line)) == 0;

			if (close(fd) < 0 || !ok || rename(tmp, memo) < 0)
				unlink(tmp);
		}
		g_free(line);
	}
out:
	g_free(tmp);
	g_free(have);
	g_free(want);
	g_free(memo);
	return rc;
}

/* An entry is trusted only if it is a regular file we own that nobody
 * else can write, and a whole ELF. A valid entry is marked used now (its
 * mtime: atime may not be kept, noatime, relatime). */
static bool entry_valid(const char *path)
{
	static const struct timespec used_now[2] = {
		{ .tv_nsec = UTIME_OMIT }, { .tv_nsec = UTIME_NOW },
	};
	struct stat st;
	void *map;
	bool ok = false;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 022) || st.st_size <= 0 || (uint64_t)st.st_size > KCACHE_MAX_FILE)
		goto out;
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto out;
	ok = xlite_kcache_elf_valid(map, (size_t)st.st_size);
	munmap(map, (size_t)st.st_size);
	if (ok)
		futimens(fd, used_now);	/* best effort: only the eviction order */
out:
	close(fd);
	return ok;
}

char *xlite_kcache_lookup(const char *dir, const char *key, uint64_t max)
{
	char *path, *err = NULL;

	if (!key_ok(key))
		return NULL;
	if (xlite_kcache_dir_check(dir, &err) < 0) {
		g_free(err);
		return NULL;
	}
	path = g_strdup_printf("%s/%s.elf", dir, key);
	if (access(path, F_OK) != 0) {
		g_free(path);
		return NULL;
	}
	if (!entry_valid(path)) {
		unlink(path);	/* a bad entry is a miss; the next create rewrites it */
		g_free(path);
		return NULL;
	}
	/* A smaller max-size takes effect on a hit as well as on a store. */
	if (xlite_kcache_trim(dir, max, key, &err) < 0)
		g_free(err);
	return path;
}

static int write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int xlite_kcache_store(const char *dir, const char *key, const void *blob, size_t len,
		       uint64_t max, char **err)
{
	char *tmp = NULL, *path = NULL;
	int fd = -1, dfd, rc = 0;

	if (!key_ok(key) || !xlite_kcache_elf_valid(blob, len)) {
		*err = g_strdup("refusing to cache something that is not a whole ELF");
		return -EINVAL;
	}
	if ((uint64_t)len > max) {
		*err = g_strdup_printf("a kernel of %zu bytes does not fit the cache's max-size "
				       "(%llu bytes)", len, (unsigned long long)max);
		return -EFBIG;
	}
	rc = xlite_kcache_dir_check(dir, err);
	if (rc < 0)
		goto out;
	tmp = g_strdup_printf("%s/.%s.XXXXXX", dir, key);
	path = g_strdup_printf("%s/%s.elf", dir, key);
	fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", tmp, g_strerror(errno));
		g_free(tmp);
		tmp = NULL;
		goto out;
	}
	rc = write_all(fd, blob, len);
	if (rc == 0 && fsync(fd) < 0)
		rc = -errno;
	if (rc == 0 && close(fd) < 0)
		rc = -errno;
	fd = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -errno;
	if (rc < 0) {
		*err = g_strdup_printf("%s: %s", path, g_strerror(-rc));
		goto out;
	}
	/* Make the rename itself durable. */
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	g_free(tmp);
	tmp = NULL;
	/* Room for it: the least recently used others go (best effort: the
	 * entry is stored either way, the next store trims again). */
	{
		char *trim_err = NULL;

		if (xlite_kcache_trim(dir, max, key, &trim_err) < 0)
			g_free(trim_err);
	}
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		g_free(tmp);
	}
	g_free(path);
	return rc;
}

int xlite_kcache_dir_check(const char *dir, char **err)
{
	struct stat st;

	if (lstat(dir, &st) < 0 && errno == ENOENT && g_mkdir_with_parents(dir, 0700) < 0)
		return xlite_fail(err, -errno, "%s: %s", dir, g_strerror(errno));
	if (lstat(dir, &st) < 0)
		return xlite_fail(err, -errno, "%s: %s", dir, g_strerror(errno));
	if (S_ISLNK(st.st_mode))
		return xlite_fail(err, -ELOOP, "%s: is a symbolic link", dir);
	if (!S_ISDIR(st.st_mode))
		return xlite_fail(err, -ENOTDIR, "%s: not a directory", dir);
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return xlite_fail(err, -EPERM, "%s: owned by uid %u, not by root or uid %u", dir,
				  (unsigned int)st.st_uid, (unsigned int)geteuid());
	if (st.st_mode & 022)
		return xlite_fail(err, -EPERM, "%s: writable by group or others (mode %04o)", dir,
				  (unsigned int)(st.st_mode & 07777));
	return 0;
}

struct kcache_entry {
	char *name;
	uint64_t size;
	struct timespec used;	/* mtime */
};

static void kcache_entry_free(gpointer p)
{
	struct kcache_entry *e = p;

	g_free(e->name);
	g_free(e);
}

/* Least recently used first; the name breaks ties, so the order is total. */
static gint lru_first(gconstpointer pa, gconstpointer pb)
{
	const struct kcache_entry *a = *(struct kcache_entry *const *)pa;
	const struct kcache_entry *b = *(struct kcache_entry *const *)pb;

	if (a->used.tv_sec != b->used.tv_sec)
		return a->used.tv_sec < b->used.tv_sec ? -1 : 1;
	if (a->used.tv_nsec != b->used.tv_nsec)
		return a->used.tv_nsec < b->used.tv_nsec ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Whether NAME is an entry's: KEY.elf. */
static bool entry_name(const char *name, char key[XLITE_KCACHE_KEY_LEN + 1])
{
	if (strlen(name) != XLITE_KCACHE_KEY_LEN + 4 ||
	    strcmp(name + XLITE_KCACHE_KEY_LEN, ".elf") != 0)
		return false;
	memcpy(key, name, XLITE_KCACHE_KEY_LEN);
	key[XLITE_KCACHE_KEY_LEN] = '\0';
	return key_ok(key);
}

int xlite_kcache_trim(const char *dir, uint64_t max, const char *keep, char **err)
{
	GPtrArray *victims = g_ptr_array_new_with_free_func(kcache_entry_free);
	GError *gerr = NULL;
	GDir *d = NULL;
	const char *name;
	uint64_t total = 0;
	guint i;
	int rc = 0, removed = 0;

	d = g_dir_open(dir, 0, &gerr);
	if (!d) {
		rc = xlite_fail(err, -ENOENT, "%s: %s", dir, gerr->message);
		g_error_free(gerr);
		goto out;
	}
	while ((name = g_dir_read_name(d))) {
		char key[XLITE_KCACHE_KEY_LEN + 1], *path;
		struct kcache_entry *e;
		struct stat st;
		int st_rc;

		if (!entry_name(name, key))
			continue;
		path = g_build_filename(dir, name, NULL);
		st_rc = lstat(path, &st);
		g_free(path);
		if (st_rc < 0 || !S_ISREG(st.st_mode))
			continue;
		total += (uint64_t)st.st_size;
		if (keep && strcmp(key, keep) == 0)
			continue;
		e = g_new0(struct kcache_entry, 1);
		e->name = g_strdup(name);
		e->size = (uint64_t)st.st_size;
		e->used = st.st_mtim;
		g_ptr_array_add(victims, e);
	}
	g_ptr_array_sort(victims, lru_first);
	for (i = 0; i < victims->len && total > max; i++) {
		const struct kcache_entry *e = g_ptr_array_index(victims, i);
		char *path = g_build_filename(dir, e->name, NULL);

		if (unlink(path) == 0 || errno == ENOENT) {
			total -= e->size;
			removed++;
		} else if (rc == 0) {
			rc = xlite_fail(err, -errno, "%s: %s", path, g_strerror(errno));
		}
		g_free(path);
	}
	if (rc == 0)
		rc = removed;
out:
	if (d)
		g_dir_close(d);
	g_ptr_array_free(victims, TRUE);
	return rc;
}

const char *xlite_kcache_choose(const char *dir, uint64_t max, char **why)
{
	if (!dir || max == 0)
		return NULL;
	return xlite_kcache_dir_check(dir, why) < 0 ? NULL : dir;
}
