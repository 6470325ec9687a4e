/* Internals of the domain XML parser (parse*.c), shared with its tests. */
#ifndef XLITE_PARSE_H
#define XLITE_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <libxml/tree.h>

#include "libtool/parse/config.h"

#define XLITE_XML_MAX_BYTES (1024 * 1024)	/* a domain XML is a few KiB */

/* One parse: the config being filled, where messages go, and the lines of
 * elements that later cross-checks name. */
struct xlite_parse {
	struct xlite_config *cfg;
	const char *file;
	xlite_warn_fn *warn;
	void *opaque;
	char *err;		/* first error, "FILE:LINE: ..." */
	int domain_line, memory_line, current_line, min_line, vcpu_line,
	    cap_line, os_line, bootloader_line, bootloader_args_line, cmdline_line,
	    e820_line;
	bool have_memory, have_current, have_type;
	bool have_console;
	struct xlite_disk *disk;	/* the <disk> being parsed */
	struct xlite_nic *nic;		/* the <interface> being parsed */
	int nic_script;			/* its <script>: 0 none, 1 vif-bridge, 2 vif-route */
};

enum xlite_elem_kind {
	XLITE_ELEM_PARSE = 0,	/* fn parses it */
	XLITE_ELEM_SILENT,	/* known, harmless, nothing to do */
	XLITE_ELEM_IGNORED,	/* known, not supported: warn with why */
	XLITE_ELEM_UNSUPPORTED,	/* an error: why */
};

typedef int xlite_elem_fn(struct xlite_parse *p, xmlNode *node);

struct xlite_elem_rule {
	const char *name;
	enum xlite_elem_kind kind;
	xlite_elem_fn *fn;	/* XLITE_ELEM_PARSE */
	bool once;		/* a second one is an error */
	const char *why;	/* IGNORED / UNSUPPORTED */
};

int xlite_parse_line(const xmlNode *node);
int xlite_parse_error(struct xlite_parse *p, const xmlNode *node,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int xlite_parse_error_at(struct xlite_parse *p, int line,
			 const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void xlite_parse_warn(struct xlite_parse *p, const xmlNode *node,
		      const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void xlite_parse_warn_at(struct xlite_parse *p, int line,
			 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Walk NODE's child elements through RULES; unknown ones are warned about. */
int xlite_parse_children(struct xlite_parse *p, xmlNode *node,
			 const struct xlite_elem_rule *rules, size_t n_rules);
/* Warn about each attribute of NODE not in KNOWN (NULL-terminated). */
void xlite_parse_attrs(struct xlite_parse *p, xmlNode *node,
		       const char *const *known);
/* Attribute value (g_free it) or NULL when absent. */
char *xlite_parse_attr(const xmlNode *node, const char *name);
/* Text content of a text-only element (g_free it); an error when NODE holds
 * elements. TRIM strips surrounding white space. */
int xlite_parse_text(struct xlite_parse *p, xmlNode *node, bool trim,
		     char **out);

int xlite_parse_u64(const char *s, uint64_t *out);
/* An element of text alone: every attribute is warned about, the text is
 * read into *OUT (see xlite_parse_text). */
int xlite_parse_text_elem(struct xlite_parse *p, xmlNode *node, bool trim, char **out);
/* <memory unit='...'>N</memory> and friends, into KiB. */
int xlite_parse_memory_elem(struct xlite_parse *p, xmlNode *node,
			    uint64_t *kib);

int xlite_parse_domain(struct xlite_parse *p, xmlNode *root);
int xlite_parse_os(struct xlite_parse *p, xmlNode *node);
/* <bootloader>, <bootloader_args> (children of <domain>); the boot method
 * is settled by xlite_parse_boot() once the whole document is read. */
int xlite_parse_bootloader(struct xlite_parse *p, xmlNode *node);
int xlite_parse_bootloader_args(struct xlite_parse *p, xmlNode *node);
int xlite_parse_boot(struct xlite_parse *p);
int xlite_parse_devices(struct xlite_parse *p, xmlNode *node);
/* Checks across elements, defaults, generated uuid and MACs. */
int xlite_parse_finish(struct xlite_parse *p);

/* RelaxNG validation against the embedded libtool/parse/domain.rng. */
int xlite_schema_validate(struct xlite_parse *p, xmlDoc *doc);
extern const char xlite_domain_rng[];

#endif
