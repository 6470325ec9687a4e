/* Domain XML: read, parse with libxml2 (no network, no entities, no DTD),
 * walk the known subset into struct xlite_config, then validate the whole
 * document against domain.rng. Errors are "FILE:LINE: what, expected what". */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include <glib.h>

#include "libtool/parse/config.h"
#include "libtool/parse/parse.h"
#include "libtool/util/fail.h"

int xlite_parse_line(const xmlNode *node)
{
	long line = node ? xmlGetLineNo(node) : 0;

	return line > 0 && line < 0x7fffffff ? (int)line : 0;
}

static int vrecord(struct xlite_parse *p, int line, const char *fmt, va_list ap)
{
	g_autofree char *msg = NULL;

	if (p->err)	/* the first error is the one that explains */
		return -EINVAL;
	msg = g_strdup_vprintf(fmt, ap);
	p->err = g_strdup_printf("%s:%d: %s", p->file, line, msg);
	return -EINVAL;
}

int xlite_parse_error_at(struct xlite_parse *p, int line, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vrecord(p, line, fmt, ap);
	va_end(ap);
	return rc;
}

int xlite_parse_error(struct xlite_parse *p, const xmlNode *node,
		      const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vrecord(p, xlite_parse_line(node), fmt, ap);
	va_end(ap);
	return rc;
}

static void vwarn(struct xlite_parse *p, int line, const char *fmt, va_list ap)
{
	g_autofree char *msg = NULL, *full = NULL;

	if (!p->warn)
		return;
	msg = g_strdup_vprintf(fmt, ap);
	full = g_strdup_printf("%s:%d: %s", p->file, line, msg);
	p->warn(full, p->opaque);
}

void xlite_parse_warn(struct xlite_parse *p, const xmlNode *node,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(p, xlite_parse_line(node), fmt, ap);
	va_end(ap);
}

void xlite_parse_warn_at(struct xlite_parse *p, int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(p, line, fmt, ap);
	va_end(ap);
}

static const char *qname(const xmlNode *node, char *buf, size_t len)
{
	if (node->ns && node->ns->prefix)
		snprintf(buf, len, "%s:%s", (const char *)node->ns->prefix,
			 (const char *)node->name);
	else
		snprintf(buf, len, "%s", (const char *)node->name);
	return buf;
}

int xlite_parse_children(struct xlite_parse *p, xmlNode *node,
			 const struct xlite_elem_rule *rules, size_t n_rules)
{
	int first_line[48] = { 0 };
	char name[128], parent[128];
	xmlNode *c;
	size_t i;
	int rc;

	if (n_rules > sizeof(first_line) / sizeof(first_line[0]))
		return xlite_parse_error(p, node, "internal error: too many rules");
	qname(node, parent, sizeof(parent));
	for (c = node->children; c; c = c->next) {
		const struct xlite_elem_rule *r = NULL;

		if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
			const char *t = (const char *)c->content;

			t += t ? strspn(t, " \t\r\n") : 0;
			if (t && *t) {
				/* libxml2 dates a text node by its end */
				int line = xlite_parse_line(c), len = 0;
				const char *q;

				for (q = t; *q; q++)
					line -= *q == '\n';
				while (t[len] && t[len] != '\n' && t[len] != '<' && len < 20)
					len++;
				return xlite_parse_error_at(p, line > 0 ? line : 0,
					"text '%.*s' inside <%s>, expected only elements",
					len, t, parent);
			}
			continue;
		}
		if (c->type != XML_ELEMENT_NODE)
			continue;
		qname(c, name, sizeof(name));
		for (i = 0; !c->ns && i < n_rules; i++) {
			if (strcmp(rules[i].name, (const char *)c->name) == 0) {
				r = &rules[i];
				break;
			}
		}
		if (!r) {
			xlite_parse_warn(p, c, "unknown element <%s> in <%s>, ignored",
					 name, parent);
			continue;
		}
		if (r->once) {
			if (first_line[i])
				return xlite_parse_error(p, c,
					"second <%s> in <%s> (the first is at line %d), expected only one",
					name, parent, first_line[i]);
			first_line[i] = xlite_parse_line(c) ? xlite_parse_line(c) : -1;
		}
		switch (r->kind) {
		case XLITE_ELEM_PARSE:
			rc = r->fn(p, c);
			if (rc < 0)
				return rc;
			break;
		case XLITE_ELEM_SILENT:
			break;
		case XLITE_ELEM_IGNORED:
			xlite_parse_warn(p, c, "<%s> ignored: %s", name, r->why);
			break;
		case XLITE_ELEM_UNSUPPORTED:
			return xlite_parse_error(p, c, "<%s> is not supported: %s",
						 name, r->why);
		}
	}
	return 0;
}

void xlite_parse_attrs(struct xlite_parse *p, xmlNode *node,
		       const char *const *known)
{
	char name[128];
	xmlAttr *a;
	size_t i;

	for (a = node->properties; a; a = a->next) {
		bool ok = false;

		for (i = 0; !a->ns && known && known[i]; i++)
			if (strcmp(known[i], (const char *)a->name) == 0)
				ok = true;
		if (ok)
			continue;
		if (a->ns && a->ns->prefix)
			snprintf(name, sizeof(name), "%s:%s",
				 (const char *)a->ns->prefix, (const char *)a->name);
		else
			snprintf(name, sizeof(name), "%s", (const char *)a->name);
		xlite_parse_warn(p, node, "unknown attribute '%s' on <%s>, ignored",
				 name, (const char *)node->name);
	}
}

char *xlite_parse_attr(const xmlNode *node, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
	char *s;

	if (!v)
		return NULL;
	s = g_strdup((const char *)v);
	xmlFree(v);
	return s;
}

int xlite_parse_text(struct xlite_parse *p, xmlNode *node, bool trim,
		     char **out)
{
	xmlNode *c;
	xmlChar *v;
	char *s, *start, *end;

	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return xlite_parse_error(p, c,
				"<%s> inside <%s>, expected only text",
				(const char *)c->name, (const char *)node->name);
	v = xmlNodeGetContent(node);
	s = g_strdup(v ? (const char *)v : "");
	xmlFree(v);
	if (trim) {
		for (start = s; *start == ' ' || *start == '\t' ||
		     *start == '\n' || *start == '\r'; start++)
			;
		end = start + strlen(start);
		while (end > start && (end[-1] == ' ' || end[-1] == '\t' ||
				       end[-1] == '\n' || end[-1] == '\r'))
			end--;
		*end = '\0';
		memmove(s, start, (size_t)(end - start) + 1);
	}
	*out = s;
	return 0;
}

/* libxml2 keeps no line for DTD nodes: find the declaration in the text. */
static int doctype_line(const char *xml, size_t len)
{
	const char *d = memmem(xml, len, "<!DOCTYPE", 9);
	int line = 1;

	for (; d && xml < d; xml++)
		line += *xml == '\n';
	return line;
}

static int parse_doc(struct xlite_parse *p, const char *xml, size_t len)
{
	xmlParserCtxt *ctxt = NULL;
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc;

	if (len > XLITE_XML_MAX_BYTES) {
		rc = xlite_parse_error_at(p, 0, "%zu bytes, expected a domain XML of at most %d",
					  len, XLITE_XML_MAX_BYTES);
		goto out;
	}
	ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		rc = -ENOMEM;
		goto out;
	}
	/* No NOENT: entities are never substituted; no network; quiet, the
	 * error is reported once, below, with its line. */
	doc = xmlCtxtReadMemory(ctxt, xml, (int)len, p->file, NULL,
				XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (!doc) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[256];
		size_t n;

		snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "unreadable");
		n = strlen(msg);
		while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
			msg[--n] = '\0';
		rc = xlite_parse_error_at(p, e ? e->line : 0,
					  "not well-formed XML: %s", msg);
		goto out;
	}
	if (doc->intSubset || doc->extSubset) {
		rc = xlite_parse_error_at(p, doctype_line(xml, len),
					  "<!DOCTYPE> is not accepted, expected a plain <domain> document");
		goto out;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || root->ns || strcmp((const char *)root->name, "domain") != 0) {
		rc = xlite_parse_error(p, root, "root element <%s>, expected <domain>",
				       root ? (const char *)root->name : "");
		goto out;
	}
	rc = xlite_parse_domain(p, root);
	if (rc < 0)
		goto out;
	rc = xlite_parse_finish(p);
	if (rc < 0)
		goto out;
	rc = xlite_schema_validate(p, doc);
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int xlite_config_parse_memory(struct xlite_config *cfg, const char *xml,
			      size_t len, const char *name,
			      xlite_warn_fn *warn, void *opaque, char **err)
{
	struct xlite_parse p = { .cfg = cfg, .warn = warn, .opaque = opaque };
	int rc;

	xlite_config_dispose(cfg);
	*err = NULL;
	cfg->file = g_strdup(name ? name : "<memory>");
	p.file = cfg->file;
	rc = parse_doc(&p, xml, len);
	if (rc < 0) {
		*err = p.err;
		if (!*err && rc == -ENOMEM)
			*err = g_strdup("out of memory");
		xlite_config_dispose(cfg);
		return rc;
	}
	g_free(p.err);
	return 0;
}

static int read_file(const char *file, char **data, size_t *len, char **err)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int fd, rc;

	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		rc = -errno;
		goto fail;
	}
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = -EISDIR;
		goto fail;
	}
	buf = g_malloc(XLITE_XML_MAX_BYTES + 1);
	for (;;) {
		ssize_t n = read(fd, buf + got, XLITE_XML_MAX_BYTES + 1 - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > XLITE_XML_MAX_BYTES) {
			rc = xlite_fail(err, -EINVAL, "%s: larger than %d bytes, expected a domain XML",
					file, XLITE_XML_MAX_BYTES);
			goto out;
		}
	}
	close(fd);
	*data = buf;
	*len = got;
	return 0;
fail:
	xlite_fail(err, rc, "%s: cannot read: %s", file, strerror(-rc));
out:
	if (fd >= 0)
		close(fd);
	g_free(buf);
	return rc;
}

int xlite_config_parse_file(struct xlite_config *cfg, const char *file,
			    xlite_warn_fn *warn, void *opaque, char **err)
{
	char *data = NULL;
	size_t len = 0;
	int rc;

	*err = NULL;
	xlite_config_dispose(cfg);
	rc = read_file(file, &data, &len, err);
	if (rc < 0)
		return rc;
	rc = xlite_config_parse_memory(cfg, data, len, file, warn, opaque, err);
	g_free(data);
	return rc;
}
