/* RelaxNG validation against domain.rng, embedded at build time (so an
 * installed xlite cannot pick up a schema from another version). The
 * parser's own walk reports most mistakes first, in plainer words; this is
 * the formal check of the whole document. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/relaxng.h>

#include "libtool/parse/parse.h"

struct schema_errors {
	struct xlite_parse *p;
	bool internal;		/* the schema itself did not compile */
};

static void on_error(void *opaque, xmlErrorPtr e)
{
	struct schema_errors *se = opaque;
	char msg[256];
	size_t n;
	int line;

	snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "invalid");
	n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (se->internal) {
		xlite_parse_error_at(se->p, e ? e->line : 0,
				     "internal error: domain.rng: %s", msg);
		return;
	}
	line = e ? e->line : 0;
	if (e && e->node)
		line = xlite_parse_line((const xmlNode *)e->node);
	xlite_parse_error_at(se->p, line,
			     "does not match the xlite domain schema: %s", msg);
}

int xlite_schema_validate(struct xlite_parse *p, xmlDoc *doc)
{
	struct schema_errors se = { .p = p, .internal = true };
	xmlRelaxNGParserCtxt *pctxt = NULL;
	xmlRelaxNGValidCtxt *vctxt = NULL;
	xmlRelaxNG *schema = NULL;
	int rc;

	pctxt = xmlRelaxNGNewMemParserCtxt(xlite_domain_rng, (int)strlen(xlite_domain_rng));
	if (!pctxt) {
		rc = -ENOMEM;
		goto out;
	}
	xmlRelaxNGSetParserStructuredErrors(pctxt, on_error, &se);
	schema = xmlRelaxNGParse(pctxt);
	if (!schema) {
		rc = xlite_parse_error_at(p, 0, "internal error: domain.rng does not compile");
		goto out;
	}
	vctxt = xmlRelaxNGNewValidCtxt(schema);
	if (!vctxt) {
		rc = -ENOMEM;
		goto out;
	}
	se.internal = false;
	xmlRelaxNGSetValidStructuredErrors(vctxt, on_error, &se);
	rc = xmlRelaxNGValidateDoc(vctxt, doc);
	if (rc > 0)
		rc = p->err ? -EINVAL : xlite_parse_error_at(p, 0,
			"does not match the xlite domain schema");
	else if (rc < 0)
		rc = xlite_parse_error_at(p, 0, "internal error while validating");
out:
	xmlRelaxNGFreeValidCtxt(vctxt);
	xmlRelaxNGFree(schema);
	xmlRelaxNGFreeParserCtxt(pctxt);
	return rc;
}
