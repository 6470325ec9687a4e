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
	char *memo = NULL, *want = NULL, *have = NULL, *tmp = NULL;
	gsize len = 0;
	int rc;

	if (stat(file, &st) < 0) {
		*err = g_strdup_printf("%s: %s", file, g_strerror(errno));
		return -errno;
	}
	memo = g_strdup_printf("%s/stat-%llu-%llu", dir, (unsigned long long)st.st_dev,
			       (unsigned long long)st.st_ino);
	want = memo_line(&st, false, NULL);
	/* Trusted only when ours and not writable by others, like entries. */
	if (lstat(memo, &dst) == 0 && S_ISREG(dst.st_mode) && dst.st_uid == geteuid() &&
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
	if (g_mkdir_with_parents(dir, 0700) == 0) {
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
 * else can write, and a whole ELF. */
static bool entry_valid(const char *path)
{
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
out:
	close(fd);
	return ok;
}

char *xlite_kcache_lookup(const char *dir, const char *key)
{
	char *path;

	if (!key_ok(key))
		return NULL;
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
		       char **err)
{
	char *tmp = NULL, *path = NULL;
	int fd = -1, dfd, rc = 0;

	if (!key_ok(key) || !xlite_kcache_elf_valid(blob, len)) {
		*err = g_strdup("refusing to cache something that is not a whole ELF");
		return -EINVAL;
	}
	if (g_mkdir_with_parents(dir, 0700) < 0) {
		rc = -errno;
		*err = g_strdup_printf("%s: %s", dir, g_strerror(errno));
		goto out;
	}
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
