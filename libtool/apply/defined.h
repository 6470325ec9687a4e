/* Defined (persistent) domains: domain XML kept under the state directory
 * (STATE/domains/NAME.xml, 0600, written whole or not at all) with an
 * autostart link beside it (STATE/domains/autostart/NAME.xml ->
 * ../NAME.xml), as libvirt keeps them. The files are the state: the CLI
 * works on them without the daemon, the daemon starts the autostarted
 * ones. Every change is made under one lock (STATE/domains/.lock), so two
 * defines cannot both take one name or uuid. No Xen here: a definition
 * says nothing of whether the domain runs. */
#ifndef XLITE_DEFINED_H
#define XLITE_DEFINED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include "libtool/parse/config.h"

#define XLITE_DEFINED_SUBDIR "domains"
#define XLITE_DEFINED_AUTOSTART "autostart"
/* A stored definition larger than this is not read (the parser's bound). */
#define XLITE_DEFINED_MAX_BYTES (1024 * 1024)

/* STATE_DIR/domains (g_free). */
char *xlite_defined_dir(const char *state_dir);

/* One definition, as a list shows it. */
struct xlite_defined {
	char *name;
	char uuid[XLITE_UUID_STRLEN];
	uint64_t memory_kib, current_kib;
	unsigned int vcpus;
	bool autostart;
};

void xlite_defined_free(struct xlite_defined *def);

/* Parses XML (LEN bytes; messages name it SOURCE: "SOURCE:LINE: ...") as
 * create -n does, then stores it as DIR/NAME.xml. A definition with
 * another name and the same uuid, or with this name and another uuid, is
 * refused (-EEXIST, saying which). Without a <uuid> the domain keeps the
 * one its earlier definition had, or gets a new one: either is written
 * into the stored XML, so every start has the same uuid. *replaced: NAME
 * was defined before. DEF (may be NULL) gets what was stored. 0, -EINVAL
 * (invalid XML: *err as the parser says it), or -errno with *err. */
int xlite_define(const char *dir, const char *xml, size_t len, const char *source,
		 xlite_warn_fn *warn, void *opaque, struct xlite_defined *def, bool *replaced,
		 char **err);
/* Removes NAME's definition and its autostart link (a running domain of
 * that name goes on). -ENOENT "domain 'NAME' is not defined". */
int xlite_undefine(const char *dir, const char *name, char **err);
/* NAME's stored XML (*xml, g_free, NUL-terminated; *len). -ENOENT when
 * it is not defined. */
int xlite_defined_read(const char *dir, const char *name, char **xml, size_t *len,
		       char **err);
/* Makes or removes NAME's autostart link. -ENOENT when not defined. */
int xlite_defined_set_autostart(const char *dir, const char *name, bool on, char **err);
/* Every definition, by name (a GPtrArray of struct xlite_defined *, its
 * free function set); a missing directory is an empty list. A file that
 * does not parse is skipped, with a line in *warnings (may be NULL). */
int xlite_defined_list(const char *dir, GPtrArray **out, GPtrArray *warnings, char **err);

#endif
