/* Defined domains (see defined.h). */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "libtool/apply/defined.h"
#include "libtool/plan/plan.h"
#include "libtool/util/fail.h"

char *xlite_defined_dir(const char *state_dir)
{
	return g_build_filename(state_dir, XLITE_DEFINED_SUBDIR, NULL);
}

void xlite_defined_free(struct xlite_defined *def)
{
	if (!def)
		return;
	g_free(def->name);
	g_free(def);
}

static void defined_free_fn(gpointer p)
{
	xlite_defined_free(p);
}

/* Makes DIR (0700) and flocks DIR/.lock: *fd >= 0 while held. */
static int lock_dir(const char *dir, int *fd, char **err)
{
	g_autofree char *path = g_build_filename(dir, ".lock", NULL);

	*fd = -1;
	if (g_mkdir_with_parents(dir, 0700) < 0)
		return xlite_fail(err, -errno, "%s: %s", dir, g_strerror(errno));
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (*fd < 0)
		return xlite_fail(err, -errno, "%s: %s", path, g_strerror(errno));
	while (flock(*fd, LOCK_EX) < 0) {
		int e = errno;

		if (e == EINTR)
			continue;
		close(*fd);
		*fd = -1;
		return xlite_fail(err, -e, "locking %s: %s", path, g_strerror(e));
	}
	return 0;
}

static void unlock_dir(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static char *def_path(const char *dir, const char *name)
{
	g_autofree char *file = g_strdup_printf("%s.xml", name);

	return g_build_filename(dir, file, NULL);
}

static char *link_path(const char *dir, const char *name)
{
	g_autofree char *file = g_strdup_printf("%s.xml", name);

	return g_build_filename(dir, XLITE_DEFINED_AUTOSTART, file, NULL);
}

static int check_name(const char *name, char **err)
{
	const char *why = xlite_name_invalid(name);

	if (why)
		return xlite_fail(err, -EINVAL, "invalid domain name '%s': %s", name, why);
	return 0;
}

static int read_bounded(const char *path, char **xml, size_t *len, char **err)
{
	g_autoptr(GError) gerr = NULL;
	struct stat st;
	gsize n = 0;

	*xml = NULL;
	if (lstat(path, &st) < 0)
		return xlite_fail(err, -errno, "%s: %s", path, g_strerror(errno));
	if (!S_ISREG(st.st_mode))
		return xlite_fail(err, -EINVAL, "%s: not a regular file", path);
	if (st.st_size > XLITE_DEFINED_MAX_BYTES)
		return xlite_fail(err, -EFBIG, "%s: larger than %d bytes", path,
				  XLITE_DEFINED_MAX_BYTES);
	if (!g_file_get_contents(path, xml, &n, &gerr))
		return xlite_fail(err, -EIO, "%s", gerr->message);
	*len = n;
	return 0;
}

/* DIR/NAME.xml parsed into DEF (name, uuid, memory, vCPUs). */
static int load_def(const char *dir, const char *name, struct xlite_defined *def, char **err)
{
	g_autofree char *path = def_path(dir, name), *xml = NULL, *lpath = NULL;
	struct xlite_config cfg;
	size_t len = 0;
	int rc;

	xlite_config_init(&cfg);
	rc = read_bounded(path, &xml, &len, err);
	if (rc == 0)
		rc = xlite_config_parse_memory(&cfg, xml, len, path, NULL, NULL, err);
	if (rc < 0)
		goto out;
	def->name = g_strdup(cfg.name);
	xlite_uuid_format(cfg.uuid, def->uuid);
	if (!cfg.uuid_given)
		def->uuid[0] = '\0';
	def->memory_kib = cfg.memory_kib;
	def->current_kib = cfg.current_kib;
	def->vcpus = cfg.cur_vcpus;
	lpath = link_path(dir, name);
	def->autostart = g_file_test(lpath, G_FILE_TEST_EXISTS);
out:
	xlite_config_dispose(&cfg);
	return rc;
}

static gint by_ptr_name(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

/* The names DIR holds (NAME.xml files), sorted. */
static GPtrArray *defined_names(const char *dir)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *f;

	while (d && (f = g_dir_read_name(d)) != NULL) {
		size_t n = strlen(f);

		if (n > 4 && f[0] != '.' && strcmp(f + n - 4, ".xml") == 0)
			g_ptr_array_add(names, g_strndup(f, n - 4));
	}
	if (d)
		g_dir_close(d);
	g_ptr_array_sort(names, by_ptr_name);
	return names;
}

int xlite_defined_list(const char *dir, GPtrArray **out, GPtrArray *warnings, char **err)
{
	g_autoptr(GPtrArray) names = NULL;
	guint i;

	(void)err;
	*out = g_ptr_array_new_with_free_func(defined_free_fn);
	names = defined_names(dir);
	for (i = 0; i < names->len; i++) {
		struct xlite_defined *def = g_new0(struct xlite_defined, 1);
		char *e = NULL;

		if (load_def(dir, names->pdata[i], def, &e) < 0) {
			if (warnings)
				g_ptr_array_add(warnings, e);
			else
				g_free(e);
			xlite_defined_free(def);
			continue;
		}
		g_ptr_array_add(*out, def);
	}
	return 0;
}

/* XML with <uuid>UUID</uuid> after its <name>: libxml2 writes the
 * document back (the declaration, elements and comments kept). */
static int add_uuid(const char *xml, size_t len, const char *uuid, char **out, size_t *out_len,
		    char **err)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
				      XML_PARSE_NOWARNING);
	xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL, n, u;
	xmlChar *mem = NULL;
	int size = 0, rc = 0;

	*out = NULL;
	for (n = root ? root->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)"name") == 0)
			break;
	if (!n) {
		rc = xlite_fail(err, -EINVAL, "cannot add a uuid: no <name> element");
		goto out;
	}
	u = xmlNewNode(NULL, (const xmlChar *)"uuid");
	xmlNodeSetContent(u, (const xmlChar *)uuid);
	xmlAddNextSibling(n, u);
	if (n->prev && n->prev->type == XML_TEXT_NODE)
		xmlAddPrevSibling(u, xmlNewText(n->prev->content));
	xmlDocDumpMemory(doc, &mem, &size);
	if (!mem || size <= 0) {
		rc = xlite_fail(err, -ENOMEM, "cannot add a uuid: out of memory");
		goto out;
	}
	*out = g_strndup((const char *)mem, (gsize)size);
	*out_len = (size_t)size;
out:
	xmlFree(mem);
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}

/* Another definition than NAME's with UUID: its name (g_free), or NULL. */
static char *uuid_owner(const char *dir, const char *name, const char *uuid)
{
	g_autoptr(GPtrArray) names = defined_names(dir);
	guint i;

	for (i = 0; i < names->len; i++) {
		struct xlite_defined def = { 0 };
		char *e = NULL;
		bool same = false;

		if (strcmp(names->pdata[i], name) == 0)
			continue;
		if (load_def(dir, names->pdata[i], &def, &e) == 0)
			same = def.uuid[0] && g_ascii_strcasecmp(def.uuid, uuid) == 0;
		g_free(e);
		g_free(def.name);
		if (same)
			return g_strdup(names->pdata[i]);
	}
	return NULL;
}

int xlite_define(const char *dir, const char *xml, size_t len, const char *source,
		 xlite_warn_fn *warn, void *opaque, struct xlite_defined *def, bool *replaced,
		 char **err)
{
	struct xlite_config cfg;
	struct xlite_plan plan;
	struct xlite_defined old = { 0 };
	g_autofree char *path = NULL, *owner = NULL, *with_uuid = NULL;
	g_autoptr(GError) gerr = NULL;
	char uuid[XLITE_UUID_STRLEN];
	bool had_old = false;
	int fd = -1, rc;

	*replaced = false;
	xlite_config_init(&cfg);
	xlite_plan_init(&plan);
	rc = xlite_config_parse_memory(&cfg, xml, len, source, warn, opaque, err);
	if (rc == 0)
		rc = xlite_plan_build(&plan, &cfg, err);
	if (rc < 0)
		goto out;
	rc = lock_dir(dir, &fd, err);
	if (rc < 0)
		goto out;
	path = def_path(dir, cfg.name);
	if (g_file_test(path, G_FILE_TEST_EXISTS)) {
		char *e = NULL;

		if (load_def(dir, cfg.name, &old, &e) == 0)
			had_old = true;
		g_free(e);	/* an unreadable old definition is replaced */
	}
	xlite_uuid_format(cfg.uuid, uuid);
	if (!cfg.uuid_given && had_old && old.uuid[0])
		g_strlcpy(uuid, old.uuid, sizeof(uuid));
	if (cfg.uuid_given && had_old && old.uuid[0] && g_ascii_strcasecmp(old.uuid, uuid) != 0) {
		rc = xlite_fail(err, -EEXIST, "domain '%s' is already defined with uuid %s, not %s",
				cfg.name, old.uuid, uuid);
		goto out;
	}
	owner = uuid_owner(dir, cfg.name, uuid);
	if (owner) {
		rc = xlite_fail(err, -EEXIST, "uuid %s is already that of defined domain '%s'",
				uuid, owner);
		goto out;
	}
	if (!cfg.uuid_given) {
		rc = add_uuid(xml, len, uuid, &with_uuid, &len, err);
		if (rc < 0)
			goto out;
		xml = with_uuid;
	}
	if (!g_file_set_contents_full(path, xml, (gssize)len, G_FILE_SET_CONTENTS_CONSISTENT |
				      G_FILE_SET_CONTENTS_DURABLE, 0600, &gerr)) {
		rc = xlite_fail(err, -EIO, "%s", gerr->message);
		goto out;
	}
	*replaced = had_old;
	if (def) {
		def->name = g_strdup(cfg.name);
		g_strlcpy(def->uuid, uuid, sizeof(def->uuid));
		def->memory_kib = cfg.memory_kib;
		def->current_kib = cfg.current_kib;
		def->vcpus = cfg.cur_vcpus;
		def->autostart = had_old && old.autostart;
	}
out:
	unlock_dir(&fd);
	g_free(old.name);
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
	return rc;
}

/* Checks NAME, takes DIR's lock (*fd) and makes sure NAME is defined;
 * *path and *lpath (g_free) are its file and its autostart link. On
 * failure the lock is not held. */
static int lock_defined(const char *dir, const char *name, int *fd, char **path, char **lpath,
			char **err)
{
	int rc;

	*path = *lpath = NULL;
	rc = check_name(name, err);
	if (rc == 0)
		rc = lock_dir(dir, fd, err);
	if (rc < 0)
		return rc;
	*path = def_path(dir, name);
	*lpath = link_path(dir, name);
	if (!g_file_test(*path, G_FILE_TEST_EXISTS)) {
		unlock_dir(fd);
		return xlite_fail(err, -ENOENT, "domain '%s' is not defined", name);
	}
	return 0;
}

/* Removes NAME's autostart link, if any. */
static int remove_link(const char *lpath, char **err)
{
	if (g_unlink(lpath) < 0 && errno != ENOENT)
		return xlite_fail(err, -errno, "%s: %s", lpath, g_strerror(errno));
	return 0;
}

int xlite_undefine(const char *dir, const char *name, char **err)
{
	g_autofree char *path = NULL, *lpath = NULL;
	int fd = -1, rc;

	rc = lock_defined(dir, name, &fd, &path, &lpath, err);
	if (rc < 0)
		return rc;
	rc = remove_link(lpath, err);
	if (rc == 0 && g_unlink(path) < 0)
		rc = xlite_fail(err, -errno, "%s: %s", path, g_strerror(errno));
	unlock_dir(&fd);
	return rc;
}

int xlite_defined_read(const char *dir, const char *name, char **xml, size_t *len, char **err)
{
	g_autofree char *path = NULL;
	int rc;

	*xml = NULL;
	rc = check_name(name, err);
	if (rc < 0)
		return rc;
	path = def_path(dir, name);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return xlite_fail(err, -ENOENT, "domain '%s' is not defined", name);
	return read_bounded(path, xml, len, err);
}

int xlite_defined_set_autostart(const char *dir, const char *name, bool on, char **err)
{
	g_autofree char *path = NULL, *lpath = NULL, *ldir = NULL, *target = NULL;
	int fd = -1, rc;

	rc = lock_defined(dir, name, &fd, &path, &lpath, err);
	if (rc < 0)
		return rc;
	rc = remove_link(lpath, err);
	if (rc < 0 || !on)
		goto out;
	ldir = g_build_filename(dir, XLITE_DEFINED_AUTOSTART, NULL);
	if (g_mkdir_with_parents(ldir, 0700) < 0) {
		rc = xlite_fail(err, -errno, "%s: %s", ldir, g_strerror(errno));
		goto out;
	}
	target = g_strdup_printf("../%s.xml", name);
	if (symlink(target, lpath) < 0)
		rc = xlite_fail(err, -errno, "%s: %s", lpath, g_strerror(errno));
out:
	unlock_dir(&fd);
	return rc;
}
