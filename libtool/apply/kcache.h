/* The decompressed-kernel cache: a Linux bzImage is decompressed once
 * (by libxenguest, on the first create) and the ELF inside is kept in
 * DIR/KEY.elf, KEY the sha256 of the bzImage's content; later creates
 * hand libxenguest the ELF and skip the decompression (~90% of a Linux
 * create in the lab). Entries appear whole (written to a temporary file,
 * synced, renamed) and are checked before use (an ELF whose program
 * headers fit the file); a bad entry is removed and counts as a miss.
 * The cache is bounded (xlite.conf's [kernel-cache] max-size): each
 * store and each hit removes the least recently used entries (a hit sets
 * an entry's mtime) until the entries fit, never the one stored or hit.
 * DIR itself is used only when it is a directory (not a symlink) owned by
 * root or the effective user and writable by nobody else. */
#ifndef XLITE_KCACHE_H
#define XLITE_KCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XLITE_KCACHE_KEY_LEN 64	/* hex sha256 */

/* sha256 of FILE's content into KEY (NUL-terminated); *is_elf says
 * whether FILE is an ELF already (nothing to cache). 0 or -errno. */
int xlite_kcache_key(const char *file, char key[XLITE_KCACHE_KEY_LEN + 1], bool *is_elf,
		     char **err);
/* The same, remembered per file in DIR: when FILE's device, inode, size,
 * mtime and ctime are those recorded when it was last hashed, the recorded
 * key is used (ctime changes on every write and cannot be set back), so a
 * create does not read and hash the whole kernel each time. */
int xlite_kcache_key_memo(const char *dir, const char *file,
			  char key[XLITE_KCACHE_KEY_LEN + 1], bool *is_elf, char **err);
/* DIR/KEY.elf when present and valid (g_free), else NULL. A hit marks
 * the entry used now, then trims the cache to MAX bytes. */
char *xlite_kcache_lookup(const char *dir, const char *key, uint64_t max);
/* Stores the ELF BLOB as DIR/KEY.elf, atomically, then trims the cache
 * to MAX bytes. A BLOB larger than MAX is not stored (-EFBIG). 0 or -errno. */
int xlite_kcache_store(const char *dir, const char *key, const void *blob, size_t len,
		       uint64_t max, char **err);
/* Makes DIR (0700, with its parents) when missing, then checks it: a
 * directory, not a symlink, owned by root or the effective user, not
 * writable by group or others. 0, or -errno with *err (g_free). */
int xlite_kcache_dir_check(const char *dir, char **err);
/* The cache a create uses, as xlite.conf's max-size MAX bounds it: DIR
 * (NULL: none), or NULL when MAX is 0 or DIR fails its checks; then *why
 * (g_free) says why it is not used. */
const char *xlite_kcache_choose(const char *dir, uint64_t max, char **why);
/* Removes the least recently used entries (oldest mtime first) of DIR
 * until their sizes add up to at most MAX bytes; never KEEP's entry (a
 * key, or NULL). The number of entries removed, or -errno with *err. */
int xlite_kcache_trim(const char *dir, uint64_t max, const char *keep, char **err);
/* True when BLOB is a little-endian ELF (32 or 64 bit) whose header and
 * program headers, and every segment's file bytes, lie inside LEN. */
bool xlite_kcache_elf_valid(const void *blob, size_t len);

#endif
